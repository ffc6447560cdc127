import type { ResourceMapping } from '@hub/connector-core';
import {
  type NativeColumns,
  NativeFields,
  codeText,
  date,
  decimal,
  nativeKey,
  pastDate,
  taxpayerNumber,
  text,
} from '@hub/connector-core/native-fields';
import type { TaxClearanceCertificate } from '@hub/schemas';
import { taxOfficeDivision } from './tax-office.ts';

/** Columns of issued tax clearance certificates (税收完税证明) as Golden Tax III exports write them. */
export const taxClearanceColumns = {
  WSZMHM: '完税证明号码',
  NSRSBH: '纳税人识别号',
  NSRMC: '纳税人名称',
  SKSSQQ: '税款所属期起',
  SKSSQZ: '税款所属期止',
  SE: '实缴税额合计(元)',
  JKRQ: '缴款日期',
  KJRQ: '开具日期',
  SWJGDM: '开具税务机关代码',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

/** Certificate number as printed, e.g. (251)桂证明45010225000318; full-width brackets folded. */
const certificateNo = codeText(/^[\p{Script=Han}A-Z0-9()№-]{6,40}$/u, 'a certificate number (Chinese characters, digits, letters, brackets; 6 to 40)');

/** Amount in yuan (元) with thousands separators as printed ("12,345.60"). */
const amount = decimal({ scale: 2, precision: 16, units: ['元'], allowZero: true });

/** Tax clearance certificate (完税证明) → TaxClearanceCertificate. */
export const taxClearance: ResourceMapping<TaxClearanceCertificate> = {
  department: 'tax',
  resource: 'tax-clearance',
  eventType: 'TaxClearanceCertificate',
  nativeColumns: Object.keys(taxClearanceColumns),
  naturalKey: (native) => nativeKey(native, 'WSZMHM'),
  map(native, context) {
    const fields = new NativeFields(native, context, taxClearanceColumns);
    const number = fields.required('WSZMHM', certificateNo);
    const taxpayer = fields.required('NSRSBH', taxpayerNumber);
    const taxpayerName = fields.required('NSRMC', text(200));
    const periodStart = fields.required('SKSSQQ', date);
    const periodEnd = fields.required('SKSSQZ', date);
    const totalPaid = fields.required('SE', amount);
    const paidOn = fields.optional('JKRQ', pastDate);
    const issuedOn = fields.required('KJRQ', pastDate);
    const division = fields.required('SWJGDM', taxOfficeDivision);
    const occurredAt = fields.updateTime('GXSJ');

    if (periodStart !== undefined && periodEnd !== undefined && periodStart > periodEnd) {
      fields.problem('SKSSQZ', `the tax period ends (${periodEnd}) before it starts (${periodStart})`);
    }
    if (paidOn && issuedOn !== undefined && paidOn > issuedOn) {
      fields.problem('JKRQ', `payment date ${paidOn} is after the issue date ${issuedOn}; a certificate proves tax already paid`);
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'tax',
      certificateNo: number,
      taxpayerNumber: taxpayer?.number,
      taxpayerName,
      periodStart,
      periodEnd,
      totalPaid,
      issuedOn,
      divisionCode: division,
    });
  },
};
