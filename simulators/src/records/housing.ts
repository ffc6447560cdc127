import { constructionPermit } from '@hub/connector-housing';
import { addDays, addYears, compact, dayBetween, recentUpdateTime, writtenDate } from '../dates.ts';
import { randomOrganisation } from '../people.ts';
import { businessAddress } from '../places.ts';
import { type Random, between, chance, digits, pick } from '../random.ts';
import { badDecimal, checkCharacter, impossibleDate, missing, unknownDivision } from './defects.ts';
import type { ResourceSimulator } from './simulator.ts';

const PROJECTS = ['安置小区', '商住小区', '中学教学楼', '社区服务中心改造', '标准厂房', '综合楼', '人民医院门诊楼', '农贸市场改造'];

function grouped(random: Random, value: string): string {
  return chance(random, 0.4) ? value.replace(/\B(?=(\d{3})+\.)/g, ',') : value;
}

/** 建筑工程施工许可证: permits for building projects of local companies. */
export const constructionPermitSimulator: ResourceSimulator = {
  department: 'housing',
  resource: 'construction-permit',
  mapping: constructionPermit,
  good(random, { region, now, today }) {
    const builder = randomOrganisation(random, region, today, 'company');
    const county = builder.place.county;
    const issuedOn = dayBetween(random, addYears(today, -3), today);
    const start = chance(random, 0.9) ? addDays(issuedOn, between(random, 0, 60)) : '';
    const completion = start !== '' && chance(random, 0.7) ? addDays(addYears(start, between(random, 1, 3)), between(random, 0, 180)) : '';
    return {
      SGXKZBH: `${county.code}${compact(issuedOn)}${digits(random, 2)}${pick(random, ['01', '02'])}`,
      GCMC: `${county.name}${pick(random, PROJECTS)}${pick(random, ['一期', '二期', ''])}工程`,
      JSDW: builder.name,
      JSDWTYSHXYDM: builder.creditCode,
      JSDZ: businessAddress(random, county),
      HTJG: grouped(random, (between(random, 10_000, 5_000_000) / 100).toFixed(2)),
      JSGM: `${grouped(random, (between(random, 50_000, 10_000_000) / 100).toFixed(2))}${pick(random, ['', '', '㎡'])}`,
      FZRQ: writtenDate(random, issuedOn),
      JHKGRQ: start === '' ? '' : writtenDate(random, start),
      JHJGRQ: completion === '' ? '' : writtenDate(random, completion),
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('JSDWTYSHXYDM'),
    impossibleDate('FZRQ'),
    unknownDivision('SGXKZBH'),
    badDecimal('HTJG'),
    badDecimal('JSGM'),
    missing('GCMC'),
  ],
};
