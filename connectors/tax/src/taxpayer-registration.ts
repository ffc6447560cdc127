import type { ResourceMapping } from '@hub/connector-core';
import {
  type NativeColumns,
  NativeFields,
  choice,
  nativeKey,
  pastDate,
  personName,
  taxpayerNumber,
  text,
} from '@hub/connector-core/native-fields';
import type { TaxpayerRegistration } from '@hub/schemas';
import { taxOfficeDivision } from './tax-office.ts';

/** Columns of the taxpayer register (税务登记信息) as Golden Tax III exports write them. */
export const taxpayerRegistrationColumns = {
  NSRSBH: '纳税人识别号',
  NSRMC: '纳税人名称',
  NSRLX: '纳税人类型',
  NSRZT: '纳税人状态',
  FDDBRXM: '法定代表人姓名',
  ZGSWJG: '主管税务机关',
  ZGSWJGDM: '主管税务机关代码',
  DJRQ: '登记日期',
  ZCDZ: '注册地址',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

/** VAT taxpayer kind (增值税纳税人类型) as the register writes it. */
const taxpayerKind = choice('VAT taxpayer kind (纳税人类型)', {
  GENERAL: ['一般纳税人', '增值税一般纳税人'],
  SMALL_SCALE: ['小规模纳税人', '增值税小规模纳税人'],
  NOT_APPLICABLE: ['不适用', '非增值税纳税人'],
});

/** Registration status (纳税人状态). */
const taxpayerStatus = choice('taxpayer status (纳税人状态)', {
  NORMAL: ['正常', '正常户'],
  ABNORMAL: ['非正常', '非正常户'],
  CANCELLED: ['注销', '已注销', '注销户'],
});

/** Taxpayer registration (税务登记) → TaxpayerRegistration. */
export const taxpayerRegistration: ResourceMapping<TaxpayerRegistration> = {
  department: 'tax',
  resource: 'taxpayer-registration',
  eventType: 'TaxpayerRegistration',
  nativeColumns: Object.keys(taxpayerRegistrationColumns),
  naturalKey: (native) => nativeKey(native, 'NSRSBH'),
  map(native, context) {
    const fields = new NativeFields(native, context, taxpayerRegistrationColumns);
    const number = fields.required('NSRSBH', taxpayerNumber);
    const name = fields.required('NSRMC', text(200));
    const kind = fields.required('NSRLX', taxpayerKind);
    const status = fields.required('NSRZT', taxpayerStatus);
    const legalRepresentative = fields.optional('FDDBRXM', personName);
    const taxAuthority = fields.required('ZGSWJG', text(100));
    const division = fields.required('ZGSWJGDM', taxOfficeDivision);
    const registeredOn = fields.required('DJRQ', pastDate);
    const address = fields.optional('ZCDZ', text(200));
    const occurredAt = fields.updateTime('GXSJ');

    return fields.complete({
      occurredAt,
      sourceDepartment: 'tax',
      taxpayerNumber: number?.number,
      taxpayerName: name,
      taxpayerKind: kind,
      status,
      legalRepresentative,
      taxAuthority,
      registeredOn,
      address,
      divisionCode: division,
    });
  },
};
