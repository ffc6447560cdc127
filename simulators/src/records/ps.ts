import { residentIdentity } from '@hub/connector-ps';
import { ETHNICITY_CODES, generateResidentId } from '@hub/identifiers';
import { addYears, recentUpdateTime, writtenDate } from '../dates.ts';
import { halfWidthToFullWidth } from '../full-width.ts';
import { randomPerson } from '../people.ts';
import { type Random, chance, pick } from '../random.ts';
import { checkCharacter, impossibleDate, missing, unknownCode, unknownDivision } from './defects.ts';
import type { ResourceSimulator, SimulationContext } from './simulator.ts';

/** Sex as 金盾 exports write it: text mostly, the GB/T 2261.1 digit sometimes. */
function writtenSex(random: Random, sex: '1' | '2'): string {
  return chance(random, 0.7) ? (sex === '1' ? '男' : '女') : sex;
}

/** Ethnicity as written: the full name, the name without 族, or the code. */
function writtenEthnicity(random: Random, code: string): string {
  const name = ETHNICITY_CODES.get(code as never) ?? '汉族';
  return pick(random, [name, name, name.slice(0, -1), code]);
}

function maritalStatus(random: Random, birthDate: string, today: string): string {
  if (addYears(birthDate, 22) > today) return '未婚';
  return pick(random, ['已婚', '已婚', '已婚', '未婚', '离婚', '丧偶', '20', '10']);
}

/** The number a correction replaced: same division and birth date, another sequence of the same sex. */
function previousNumber(idNumber: string, birthDate: string): string {
  const sequence = (Number(idNumber.slice(14, 17)) + 2) % 1000;
  return generateResidentId({ division: idNumber.slice(0, 6), birthDate, sequence });
}

/** 人口基本信息: one resident per record; the household division is their village, town or county. */
export const residentIdentitySimulator: ResourceSimulator = {
  department: 'ps',
  resource: 'resident-identity',
  mapping: residentIdentity,
  good(random, { region, now, today }: SimulationContext) {
    const person = randomPerson(random, region, { bornFrom: '1935-01-01', bornTo: today });
    const division = pick(random, [person.place.village.code, person.place.town.code, person.place.county.code]);
    const corrected = chance(random, 0.01);
    return {
      GMSFHM: person.idNumber,
      XM: person.name,
      XB: writtenSex(random, person.sex),
      MZ: writtenEthnicity(random, person.ethnicity),
      CSRQ: writtenDate(random, person.birthDate),
      ZZ: person.address,
      HJDZ_XZQHDM: chance(random, 0.03) ? halfWidthToFullWidth(division) : division,
      HYZK: maritalStatus(random, person.birthDate, today),
      YHZGX: pick(random, ['户主', '配偶', '子', '女', '02', '10', '20', '30', '孙子', '母亲']),
      GZQGMSFHM: corrected ? previousNumber(person.idNumber, person.birthDate) : '',
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('GMSFHM'),
    impossibleDate('CSRQ'),
    unknownDivision('HJDZ_XZQHDM'),
    unknownCode('MZ', ['穿青人', '汉人', '其它族', '傣家']),
    unknownCode('XB', ['不详', '3', 'N']),
    missing('XM'),
    missing('ZZ'),
  ],
};
