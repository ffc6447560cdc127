import type { ResourceMapping } from '@hub/connector-core';
import {
  type FieldParser,
  type NativeColumns,
  NativeFields,
  codeText,
  creditCode,
  date,
  decimal,
  divisionCode,
  nativeKey,
  pastDate,
  refine,
  text,
} from '@hub/connector-core/native-fields';
import { parseDepartmentDate } from '@hub/identifiers';
import type { ConstructionPermit } from '@hub/schemas';

/** Columns of issued construction permits (建筑工程施工许可证) as the housing system exports them. */
export const constructionPermitColumns = {
  SGXKZBH: '施工许可证编号',
  GCMC: '工程名称',
  JSDW: '建设单位',
  JSDWTYSHXYDM: '建设单位统一社会信用代码',
  JSDZ: '建设地址',
  HTJG: '合同价格(万元)',
  JSGM: '建设规模(平方米)',
  FZRQ: '发证日期',
  JHKGRQ: '计划开工日期',
  JHJGRQ: '计划竣工日期',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

interface PermitNumber {
  readonly number: string;
  readonly division: string;
  /** The issue date the number carries, 'YYYY-MM-DD'. */
  readonly issuedOn: string;
}

/** Permit number (施工许可证编号), 18 digits: the issuing division, the issue date yyyyMMdd, and 4 digits of sequence. */
const permitNumber: FieldParser<PermitNumber> = refine(
  codeText(/^\d{18}$/, 'a permit number of 18 digits (division, yyyyMMdd, sequence)'),
  (number, context) => {
    const division = divisionCode(number.slice(0, 6), context);
    if (!division.ok) return { ok: false, reason: `digits 1-6: ${division.reason}` };
    const issued = parseDepartmentDate(number.slice(6, 14));
    if (!issued.ok) return { ok: false, reason: `digits 7-14: ${issued.reason}` };
    return { ok: true, value: { number, division: division.value, issuedOn: issued.value.date } };
  },
);

/** Contract price, written in 万元 as on the permit, published in yuan. */
const contractPrice = decimal({ scale: 2, precision: 16, shift: 4, units: ['万元'] });
const floorArea = decimal({ scale: 2, precision: 12, units: ['平方米', '㎡', 'm²', 'm2'] });

/** Construction permit (建筑工程施工许可证) → ConstructionPermit; the division is the permit number's. */
export const constructionPermit: ResourceMapping<ConstructionPermit> = {
  department: 'housing',
  resource: 'construction-permit',
  eventType: 'ConstructionPermit',
  nativeColumns: Object.keys(constructionPermitColumns),
  naturalKey: (native) => nativeKey(native, 'SGXKZBH'),
  map(native, context) {
    const fields = new NativeFields(native, context, constructionPermitColumns);
    const permit = fields.required('SGXKZBH', permitNumber);
    const projectName = fields.required('GCMC', text(200));
    const builderName = fields.required('JSDW', text(200));
    const builder = fields.required('JSDWTYSHXYDM', creditCode);
    const location = fields.required('JSDZ', text(200));
    const price = fields.required('HTJG', contractPrice);
    const area = fields.required('JSGM', floorArea);
    const issuedOn = fields.required('FZRQ', pastDate);
    const plannedStart = fields.optional('JHKGRQ', date);
    const plannedCompletion = fields.optional('JHJGRQ', date);
    const occurredAt = fields.updateTime('GXSJ');

    if (permit !== undefined && issuedOn !== undefined && permit.issuedOn !== issuedOn) {
      fields.problem('SGXKZBH', `the number carries the issue date ${permit.issuedOn}, but FZRQ is ${issuedOn}`);
    }
    if (plannedStart && plannedCompletion && plannedCompletion < plannedStart) {
      fields.problem('JHJGRQ', `planned completion ${plannedCompletion} is before the planned start ${plannedStart}`);
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'housing',
      permitNo: permit?.number,
      projectName,
      builderName,
      builderCreditCode: builder?.code,
      location,
      contractPrice: price,
      floorArea: area,
      issuedOn,
      plannedStart,
      plannedCompletion,
      divisionCode: permit?.division,
    });
  },
};
