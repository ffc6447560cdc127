import { socialInsuranceEnrolment } from '@hub/connector-hrss';
import { addYears, dayBetween, recentUpdateTime, writtenDate } from '../dates.ts';
import { randomOrganisation, randomPerson } from '../people.ts';
import { chance, pick, weighted } from '../random.ts';
import { checkCharacter, impossibleDate, missing, unknownCode, unknownDivision } from './defects.ts';
import type { ResourceSimulator } from './simulator.ts';

const TYPES: readonly (readonly [string, number])[] = [
  ['110', 0.3], ['170', 0.1], ['310', 0.25], ['390', 0.1], ['210', 0.1], ['410', 0.08], ['510', 0.05], ['养老保险', 0.01], ['医疗保险', 0.01],
];

/** 参保人员信息: employees enrolled by their employer, and flexibly employed residents on their own. */
export const socialInsuranceEnrolmentSimulator: ResourceSimulator = {
  department: 'hrss',
  resource: 'social-insurance-enrolment',
  mapping: socialInsuranceEnrolment,
  good(random, { region, now, today }) {
    const person = randomPerson(random, region, { bornFrom: '1960-01-01', bornTo: addYears(today, -18) });
    const type = weighted(random, TYPES);
    const residents = type === '170' || type === '390';
    const employer = residents || chance(random, 0.1) ? undefined : randomOrganisation(random, region, today, 'company');
    const from = addYears(person.birthDate, 16) > '1995-01-01' ? addYears(person.birthDate, 16) : '1995-01-01';
    return {
      GMSFHM: person.idNumber,
      XM: person.name,
      XZLX: type,
      DWTYSHXYDM: employer?.creditCode ?? '',
      CBZT: weighted(random, [[pick(random, ['正常参保', '参保缴费']), 0.85], ['暂停缴费', 0.1], ['终止参保', 0.05]]),
      CBRQ: writtenDate(random, dayBetween(random, from, today)),
      CBDXZQHDM: (employer?.place ?? person.place).county.code,
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('GMSFHM'),
    impossibleDate('CBRQ'),
    unknownDivision('CBDXZQHDM'),
    unknownCode('XZLX', ['610', '商业保险']),
    unknownCode('CBZT', ['冻结']),
    missing('XM'),
  ],
};
