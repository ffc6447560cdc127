import type { ResourceMapping } from '@hub/connector-core';
import {
  type NativeColumns,
  NativeFields,
  choice,
  codeText,
  date,
  decimal,
  divisionCode,
  integer,
  nativeKey,
  personName,
  residentId,
  text,
} from '@hub/connector-core/native-fields';
import type { SocialAssistance } from '@hub/schemas';

/** Columns of the minimum living allowance register (最低生活保障信息) as the civil-affairs system exports them. */
export const socialAssistanceColumns = {
  DBZH: '低保证号',
  DBLB: '低保类别',
  SQRXM: '申请人(户主)姓名',
  SQRSFZH: '申请人(户主)公民身份号码',
  BZRS: '保障人数',
  BZJE: '月保障金额(元)',
  BZZT: '保障状态',
  BZKSRQ: '保障起始日期',
  BZZZRQ: '保障终止日期',
  JTZZ: '家庭住址',
  XZQHDM: '行政区划代码',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

const scheme = choice('allowance scheme (低保类别)', {
  URBAN: ['城市低保', '城市', '城镇低保', '1'],
  RURAL: ['农村低保', '农村', '2'],
});

const benefitStatus = choice('allowance status (保障状态)', {
  ACTIVE: ['正常', '正常保障', '在保'],
  SUSPENDED: ['暂停', '暂停保障'],
  TERMINATED: ['终止', '停保', '终止保障'],
});

const assistanceNo = codeText(/^[A-Z0-9-]{6,32}$/, 'an allowance certificate number (6 to 32 letters, digits and hyphens)');
const monthlyAmount = decimal({ scale: 2, precision: 10, units: ['元'] });

/** Minimum living allowance of a household (最低生活保障, 低保) → SocialAssistance. */
export const socialAssistance: ResourceMapping<SocialAssistance> = {
  department: 'civil',
  resource: 'social-assistance',
  eventType: 'SocialAssistance',
  nativeColumns: Object.keys(socialAssistanceColumns),
  naturalKey: (native) => nativeKey(native, 'DBZH'),
  map(native, context) {
    const fields = new NativeFields(native, context, socialAssistanceColumns);
    const number = fields.required('DBZH', assistanceNo);
    const kind = fields.required('DBLB', scheme);
    const headName = fields.required('SQRXM', personName);
    const head = fields.required('SQRSFZH', residentId);
    const householdSize = fields.required('BZRS', integer(1, 20));
    const amount = fields.required('BZJE', monthlyAmount);
    const status = fields.required('BZZT', benefitStatus);
    const startDate = fields.required('BZKSRQ', date);
    const endDate = fields.optional('BZZZRQ', date);
    const address = fields.required('JTZZ', text(200));
    const division = fields.required('XZQHDM', divisionCode);
    const occurredAt = fields.updateTime('GXSJ');

    if (startDate !== undefined && endDate && endDate < startDate) {
      fields.problem('BZZZRQ', `the allowance ends (${endDate}) before it starts (${startDate})`);
    }
    if (status === 'TERMINATED' && endDate === null) fields.problem('BZZZRQ', 'a terminated allowance (终止) needs its end date');

    return fields.complete({
      occurredAt,
      sourceDepartment: 'civil',
      assistanceNo: number,
      scheme: kind,
      headName,
      headIdNumber: head?.number,
      householdSize,
      monthlyAmount: amount,
      status,
      startDate,
      endDate,
      address,
      divisionCode: division,
    });
  },
};
