import { marriageRegistration, socialAssistance } from '@hub/connector-civil';
import { addDays, addYears, compact, dayBetween, recentUpdateTime, writtenDate } from '../dates.ts';
import { randomPerson } from '../people.ts';
import { randomPlace } from '../places.ts';
import { type Random, between, chance, digits, pick, weighted } from '../random.ts';
import { badDecimal, checkCharacter, impossibleDate, missing, unknownCode, unknownDivision } from './defects.ts';
import type { ResourceSimulator } from './simulator.ts';

const KINDS = [
  { prefixes: ['J'], texts: ['结婚', '结婚登记', '复婚'], weight: 0.7 },
  { prefixes: ['L'], texts: ['离婚', '离婚登记'], weight: 0.2 },
  { prefixes: ['BJ', 'BL'], texts: ['补领', '补领结婚证', '补领离婚证'], weight: 0.1 },
] as const;

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/** 婚姻登记信息: marriages of couples of legal age, divorces and reissues, at county registration offices. */
export const marriageRegistrationSimulator: ResourceSimulator = {
  department: 'civil',
  resource: 'marriage-registration',
  mapping: marriageRegistration,
  good(random, { region, now, today }) {
    const kind = weighted(random, KINDS.map((k) => [k, k.weight] as const));
    const place = randomPlace(random, region);
    const county = place.county;
    const man = randomPerson(random, region, { bornFrom: '1960-01-01', bornTo: addYears(today, -22), sex: '1', place });
    const woman = randomPerson(random, region, { bornFrom: '1962-01-01', bornTo: addYears(today, -20), sex: '2' });
    const earliest = later(later(addYears(man.birthDate, 22), addYears(woman.birthDate, 20)), '2000-01-01');
    const registeredOn = dayBetween(random, earliest, today);
    return {
      ZSBH: `${pick(random, kind.prefixes)}${county.code}-${registeredOn.slice(0, 4)}-${digits(random, 6)}`,
      DJLX: pick(random, kind.texts),
      DJRQ: writtenDate(random, registeredOn),
      NFXM: man.name,
      NFSFZH: man.idNumber,
      NVFXM: woman.name,
      NVFSFZH: woman.idNumber,
      DJJG: `${county.cityName === county.name ? '' : county.cityName}${county.name}民政局婚姻登记处`,
      DJJGDM: county.code,
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('NFSFZH'),
    checkCharacter('NVFSFZH'),
    impossibleDate('DJRQ'),
    unknownCode('DJLX', ['订婚', '同居登记']),
    unknownDivision('DJJGDM'),
    missing('NVFXM'),
  ],
};

/** Monthly standard per person (保障标准), yuan: urban and rural, roughly Guangxi's 2024 figures. */
const STANDARD = { urban: 950, rural: 6_200 / 12 };

function writtenAmount(random: Random, yuan: number): string {
  const fixed = yuan.toFixed(2);
  return chance(random, 0.3) ? fixed.replace(/\B(?=(\d{3})+\.)/g, ',') : fixed;
}

/** 最低生活保障信息: households on the urban or rural allowance, topped up to the local standard. */
export const socialAssistanceSimulator: ResourceSimulator = {
  department: 'civil',
  resource: 'social-assistance',
  mapping: socialAssistance,
  good(random, { region, now, today }) {
    const place = randomPlace(random, region);
    const head = randomPerson(random, region, { bornFrom: '1940-01-01', bornTo: '1995-12-31', place });
    const urban = place.town.urban;
    const size = between(random, 1, 6);
    const standard = urban ? STANDARD.urban : STANDARD.rural;
    const amount = Math.round(size * standard * between(random, 35, 100)) / 100;
    const status = weighted(random, [['正常', 0.85], ['暂停', 0.05], ['终止', 0.1]]);
    const started = `${dayBetween(random, '2015-01-01', today).slice(0, 7)}-01`;
    const ended = status === '终止' ? dayBetween(random, later(addDays(started, 30), started), today) : '';
    return {
      DBZH: `DB${place.town.code}-${started.slice(0, 4)}-${digits(random, 4)}`,
      DBLB: urban ? pick(random, ['城市低保', '1']) : pick(random, ['农村低保', '2']),
      SQRXM: head.name,
      SQRSFZH: head.idNumber,
      BZRS: String(size),
      BZJE: writtenAmount(random, amount),
      BZZT: status,
      BZKSRQ: writtenDate(random, started),
      BZZZRQ: ended === '' ? '' : compact(ended > today ? today : ended),
      JTZZ: head.address,
      XZQHDM: chance(random, 0.7) ? place.village.code : place.town.code,
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('SQRSFZH'),
    impossibleDate('BZKSRQ'),
    unknownDivision('XZQHDM'),
    unknownCode('DBLB', ['特困供养', '临时救助']),
    badDecimal('BZJE'),
    missing('SQRXM'),
  ],
};
