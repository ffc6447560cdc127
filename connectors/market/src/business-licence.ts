import type { ResourceMapping } from '@hub/connector-core';
import {
  type FieldParser,
  type NativeColumns,
  NativeFields,
  codeText,
  creditCode,
  decimal,
  divisionCode,
  nativeKey,
  pastDate,
  personName,
  refine,
  text,
} from '@hub/connector-core/native-fields';
import type { BusinessLicence } from '@hub/schemas';

/** Columns of the enterprise register (企业登记信息) as the market-regulation system exports them. */
export const businessLicenceColumns = {
  TYSHXYDM: '统一社会信用代码',
  QYMC: '企业名称',
  QYLX: '企业类型',
  FDDBR: '法定代表人',
  ZCZB: '注册资本(万元)',
  CLRQ: '成立日期',
  ZS: '住所',
  JYFW: '经营范围',
  DJJG: '登记机关',
  DJJGDM: '登记机关行政区划代码',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

/** Market regulation (工商) registers entities whose credit code starts with 9. */
const marketCreditCode: FieldParser<string> = refine(creditCode, (code) =>
  code.registrationAuthority === '9'
    ? { ok: true, value: code.code }
    : { ok: false, reason: `registration authority ${code.registrationAuthority} (${code.registrationAuthorityName}) is not market regulation (9)` },
);

/** Enterprise type (企业类型) as printed; full-width brackets folded: 有限责任公司(自然人投资或控股). */
export const category: FieldParser<string> = codeText(/^[^\n]{2,60}$/u, 'a category of 2 to 60 characters');

/** Registered capital, written in 万元 as on the licence ("500", "500万元", "1,200.5万人民币"), published in yuan. */
const registeredCapital = decimal({ scale: 2, precision: 18, shift: 4, units: ['万元人民币', '万人民币', '万元'] });

/** Business registration and licence (营业执照/企业登记) → BusinessLicence. */
export const businessLicence: ResourceMapping<BusinessLicence> = {
  department: 'market',
  resource: 'business-licence',
  eventType: 'BusinessLicence',
  nativeColumns: Object.keys(businessLicenceColumns),
  naturalKey: (native) => nativeKey(native, 'TYSHXYDM'),
  map(native, context) {
    const fields = new NativeFields(native, context, businessLicenceColumns);
    const code = fields.required('TYSHXYDM', marketCreditCode);
    const name = fields.required('QYMC', text(200));
    const enterpriseType = fields.required('QYLX', category);
    const legalRepresentative = fields.required('FDDBR', personName);
    const capital = fields.required('ZCZB', registeredCapital);
    const establishedOn = fields.required('CLRQ', pastDate);
    const address = fields.required('ZS', text(200));
    const businessScope = fields.required('JYFW', text(4000));
    const authority = fields.required('DJJG', text(100));
    const division = fields.required('DJJGDM', divisionCode);
    const occurredAt = fields.updateTime('GXSJ');

    return fields.complete({
      occurredAt,
      sourceDepartment: 'market',
      creditCode: code,
      name,
      legalRepresentative,
      enterpriseType,
      registeredCapital: capital,
      establishedOn,
      address,
      businessScope,
      registrationAuthority: authority,
      divisionCode: division,
    });
  },
};
