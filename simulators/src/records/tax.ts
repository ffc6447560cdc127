import { taxClearance, taxpayerRegistration } from '@hub/connector-tax';
import { addDays, compact, dayBetween, recentUpdateTime, writtenDate } from '../dates.ts';
import { randomOrganisation, randomPerson } from '../people.ts';
import type { County } from '../places.ts';
import { type Random, between, chance, digits, pick, weighted } from '../random.ts';
import { badDecimal, checkCharacter, impossibleDate, missing, unknownCode, unknownDivision } from './defects.ts';
import type { ResourceSimulator } from './simulator.ts';

/** Tax office code (税务机关代码) of a county office: 1 + division + 0000. */
function taxOfficeCode(county: County): string {
  return `1${county.code}0000`;
}

function taxOfficeName(county: County): string {
  return `国家税务总局${county.cityName === county.name ? '' : county.cityName}${county.name}税务局`;
}

/** An amount as the certificate prints it: thousands separators half of the time. */
function writtenAmount(random: Random, yuan: number): string {
  const fixed = yuan.toFixed(2);
  return chance(random, 0.5) ? fixed.replace(/\B(?=(\d{3})+\.)/g, ',') : fixed;
}

/** The 20th character of an ID-number taxpayer number is its sequence; the check character is the 18th. */
const idCheckPosition = (value: string): number => (value.length === 20 ? 17 : value.length - 1);

/** 税务登记信息: companies and individual businesses registered with their county office. */
export const taxpayerRegistrationSimulator: ResourceSimulator = {
  department: 'tax',
  resource: 'taxpayer-registration',
  mapping: taxpayerRegistration,
  good(random, { region, now, today }) {
    const organisation = randomOrganisation(random, region, today);
    const individual = organisation.kind === 'individual';
    const number = weighted(random, [
      [organisation.creditCode, 0.75],
      [individual ? `${organisation.representative.idNumber}01` : organisation.creditCode, 0.15],
      [`${organisation.place.county.code}${organisation.creditCode.slice(8, 17)}`, 0.1],
    ]);
    const kind = individual
      ? pick(random, ['小规模纳税人', '增值税小规模纳税人', '不适用'])
      : weighted(random, [['一般纳税人', 0.3], ['增值税一般纳税人', 0.1], ['小规模纳税人', 0.6]]);
    const county = organisation.place.county;
    return {
      NSRSBH: number,
      NSRMC: organisation.name,
      NSRLX: kind,
      NSRZT: weighted(random, [['正常', 0.85], ['非正常', 0.05], ['非正常户', 0.03], ['注销', 0.07]]),
      FDDBRXM: chance(random, 0.95) ? organisation.representative.name : '',
      ZGSWJG: taxOfficeName(county),
      ZGSWJGDM: taxOfficeCode(county),
      DJRQ: writtenDate(random, dayBetween(random, individual ? '2010-01-01' : '1995-01-01', today)),
      ZCDZ: chance(random, 0.9) ? organisation.address : '',
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('NSRSBH', idCheckPosition),
    impossibleDate('DJRQ'),
    unknownDivision('ZGSWJGDM', 1),
    unknownCode('NSRZT', ['停业', '待核实', '清算']),
    unknownCode('NSRLX', ['个体', '一般户']),
    missing('NSRMC'),
    missing('ZGSWJG'),
  ],
};

/** 完税证明: certificates for companies' yearly or quarterly taxes and persons' individual income tax. */
export const taxClearanceSimulator: ResourceSimulator = {
  department: 'tax',
  resource: 'tax-clearance',
  mapping: taxClearance,
  good(random, { region, now, today }) {
    const person = chance(random, 0.2);
    const taxpayer = person
      ? randomPerson(random, region, { bornFrom: '1960-01-01', bornTo: '2000-12-31' })
      : randomOrganisation(random, region, today);
    const [number, name, county] =
      'creditCode' in taxpayer ? [taxpayer.creditCode, taxpayer.name, taxpayer.place.county] : [taxpayer.idNumber, taxpayer.name, taxpayer.place.county];
    const year = Number(today.slice(0, 4)) - between(random, 1, 3);
    const quarter = chance(random, 0.4) ? between(random, 1, 4) : 0;
    const periodStart = quarter === 0 ? `${year}-01-01` : `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`;
    const periodEnd = quarter === 0 ? `${year}-12-31` : addDays(`${year + (quarter === 4 ? 1 : 0)}-${String(quarter === 4 ? 1 : quarter * 3 + 1).padStart(2, '0')}-01`, -1);
    const paidOn = minDate(addDays(periodEnd, between(random, 1, 60)), today);
    const issuedOn = minDate(addDays(paidOn, between(random, 0, 10)), today);
    const amount = person ? between(random, 10_000, 5_000_000) / 100 : between(random, 100_000, 500_000_000) / 100;
    const yy = issuedOn.slice(2, 4);
    const serial = `${county.code}${yy}${digits(random, 6)}`;
    return {
      WSZMHM: chance(random, 0.9) ? `(${yy}1)${region.abbreviation}证明${serial}` : `（${yy}1）${region.abbreviation}证明${serial}`,
      NSRSBH: number,
      NSRMC: name,
      SKSSQQ: writtenDate(random, periodStart),
      SKSSQZ: writtenDate(random, periodEnd),
      SE: writtenAmount(random, amount),
      JKRQ: chance(random, 0.9) ? compact(paidOn) : '',
      KJRQ: compact(issuedOn),
      SWJGDM: taxOfficeCode(county),
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('NSRSBH'),
    impossibleDate('KJRQ'),
    impossibleDate('SKSSQQ'),
    unknownDivision('SWJGDM', 1),
    badDecimal('SE'),
    missing('WSZMHM'),
    missing('NSRMC'),
  ],
};

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
