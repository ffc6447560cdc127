import type { ResourceMapping } from '@hub/connector-core';
import {
  type NativeColumns,
  NativeFields,
  codeTable,
  divisionCode,
  nativeKey,
  pastDate,
  personName,
  residentId,
  text,
} from '@hub/connector-core/native-fields';
import {
  normaliseEthnicity,
  normaliseFamilyRelation,
  normaliseMaritalStatus,
  normaliseSex,
  residentIdCheckCharacter,
} from '@hub/identifiers';
import { type ResidentIdentity, sexFromGbCode } from '@hub/schemas';

/** Columns of the population register (人口基本信息) as 金盾 exports write them. */
export const residentIdentityColumns = {
  GMSFHM: '公民身份号码',
  XM: '姓名',
  XB: '性别',
  MZ: '民族',
  CSRQ: '出生日期',
  ZZ: '住址',
  HJDZ_XZQHDM: '户籍地址行政区划代码',
  HYZK: '婚姻状况',
  YHZGX: '与户主关系',
  GZQGMSFHM: '更正前公民身份号码',
  GXSJ: '更新时间',
} as const satisfies NativeColumns;

/** The 18-character number an ID column stands for: a 15-digit legacy number is converted. */
function idNumberKey(key: string | undefined): string | undefined {
  if (key === undefined || !/^\d{15}$/.test(key)) return key;
  const first17 = `${key.slice(0, 6)}19${key.slice(6)}`;
  return first17 + residentIdCheckCharacter(first17);
}

/**
 * Resident identity and household registration (人口基本信息/户籍) → ResidentIdentity.
 * Besides each column's own check, CSRQ and XB must agree with the birth date
 * and sex digit inside GMSFHM, as the population register guarantees.
 * HYZK and YHZGX are checked against their code tables but have no canonical field.
 */
export const residentIdentity: ResourceMapping<ResidentIdentity> = {
  department: 'ps',
  resource: 'resident-identity',
  eventType: 'ResidentIdentity',
  nativeColumns: Object.keys(residentIdentityColumns),
  naturalKey: (native) => idNumberKey(nativeKey(native, 'GMSFHM')),
  map(native, context) {
    const fields = new NativeFields(native, context, residentIdentityColumns);
    const id = fields.required('GMSFHM', residentId);
    const name = fields.required('XM', personName);
    const sex = fields.required('XB', codeTable(normaliseSex));
    const ethnicity = fields.required('MZ', codeTable(normaliseEthnicity));
    const birthDate = fields.required('CSRQ', pastDate);
    const address = fields.required('ZZ', text(200));
    const division = fields.required('HJDZ_XZQHDM', divisionCode);
    fields.optional('HYZK', codeTable(normaliseMaritalStatus));
    fields.optional('YHZGX', codeTable(normaliseFamilyRelation));
    const previous = fields.optional('GZQGMSFHM', residentId);
    const occurredAt = fields.updateTime('GXSJ');

    if (id !== undefined && birthDate !== undefined && birthDate !== id.birthDate) {
      fields.problem('CSRQ', `birth date ${birthDate} differs from the one in GMSFHM (${id.birthDate})`);
    }
    if (id !== undefined && (sex === '1' || sex === '2') && sex !== id.sex) {
      const written = sex === '1' ? 'male' : 'female';
      fields.problem('XB', `sex is ${written}, but the 17th digit of GMSFHM is ${id.sex === '1' ? 'odd (male)' : 'even (female)'}`);
    }
    if (id !== undefined && previous && previous.number === id.number) {
      fields.problem('GZQGMSFHM', 'the number before the correction is the same as GMSFHM');
    }

    return fields.complete({
      occurredAt,
      sourceDepartment: 'ps',
      idNumber: id?.number,
      previousIdNumber: previous && previous.number,
      name,
      sex: sex && sexFromGbCode(sex),
      ethnicity,
      birthDate,
      address,
      divisionCode: division,
    });
  },
};
