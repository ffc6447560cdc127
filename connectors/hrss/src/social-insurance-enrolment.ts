import type { NativeRecord, ResourceMapping } from '@hub/connector-core';
import {
  type NativeColumns,
  NativeFields,
  choice,
  creditCode,
  divisionCode,
  nativeKey,
  pastDate,
  personName,
  residentId,
} from '@hub/connector-core/native-fields';
import type { SocialInsuranceEnrolment } from '@hub/schemas';

/** Columns of the insured-person register (参保人员信息) as the HR and social-security system exports them. */
export const socialInsuranceEnrolmentColumns = {
  GMSFHM: '公民身份号码',
  XM: '姓名',
  XZLX: '险种类型',
  DWTYSHXYDM: '参保单位统一社会信用代码',
  CBZT: '参保状态',
  CBRQ: '参保日期',
  CBDXZQHDM: '参保地行政区划代码',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

/**
 * Insurance type (险种类型): the national social-insurance codes (110 enterprise
 * pension, 120 public-institution pension, 170 urban-rural residents' pension,
 * 210 unemployment, 310 employees' medical, 390 residents' medical, 410 work
 * injury, 510 maternity) or their names.
 */
const insuranceType = choice('insurance type (险种类型)', {
  PENSION: ['110', '120', '170', '养老', '养老保险', '企业职工基本养老保险', '机关事业单位养老保险', '城乡居民基本养老保险'],
  MEDICAL: ['310', '390', '医疗', '医疗保险', '职工基本医疗保险', '城乡居民基本医疗保险'],
  UNEMPLOYMENT: ['210', '失业', '失业保险'],
  WORK_INJURY: ['410', '工伤', '工伤保险'],
  MATERNITY: ['510', '生育', '生育保险'],
});

const enrolmentStatus = choice('enrolment status (参保状态)', {
  ACTIVE: ['正常参保', '参保缴费', '正常'],
  SUSPENDED: ['暂停参保', '暂停缴费', '暂停'],
  TERMINATED: ['终止参保', '终止缴费', '终止'],
});

/** The record key: ID number and insurance type, as the canonical record keys it. */
function enrolmentKey(native: NativeRecord): string | undefined {
  const id = nativeKey(native, 'GMSFHM');
  const type = nativeKey(native, 'XZLX');
  if (id === undefined || type === undefined) return undefined;
  const mapped = insuranceType(type, { today: '9999-12-31' });
  return `${id}:${mapped.ok ? mapped.value : type}`;
}

/** Social insurance enrolment (社会保险参保登记) → SocialInsuranceEnrolment; no employer means flexible employment. */
export const socialInsuranceEnrolment: ResourceMapping<SocialInsuranceEnrolment> = {
  department: 'hrss',
  resource: 'social-insurance-enrolment',
  eventType: 'SocialInsuranceEnrolment',
  nativeColumns: Object.keys(socialInsuranceEnrolmentColumns),
  naturalKey: enrolmentKey,
  map(native, context) {
    const fields = new NativeFields(native, context, socialInsuranceEnrolmentColumns);
    const id = fields.required('GMSFHM', residentId);
    const name = fields.required('XM', personName);
    const type = fields.required('XZLX', insuranceType);
    const employer = fields.optional('DWTYSHXYDM', creditCode);
    const status = fields.required('CBZT', enrolmentStatus);
    const enrolledOn = fields.required('CBRQ', pastDate);
    const division = fields.required('CBDXZQHDM', divisionCode);
    const occurredAt = fields.updateTime('GXSJ');

    if (id !== undefined && enrolledOn !== undefined && enrolledOn < id.birthDate) {
      fields.problem('CBRQ', `enrolment on ${enrolledOn} is before the insured was born (${id.birthDate})`);
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'hrss',
      idNumber: id?.number,
      insuranceType: type,
      name,
      employerCreditCode: employer && employer.code,
      status,
      enrolledOn,
      divisionCode: division,
    });
  },
};
