import { generateCreditCode, generateResidentId } from '@hub/identifiers';
import { dayBetween } from './dates.ts';
import { INDUSTRIES, enterpriseName, personName, shopName } from './names.ts';
import { type Place, type SimulatedRegion, address, businessAddress, randomPlace } from './places.ts';
import { type Random, between, chance, pick, weighted } from './random.ts';

/** A resident as the population register knows them. */
export interface Person {
  readonly name: string;
  readonly idNumber: string;
  /** GB/T 2261.1: '1' male, '2' female. */
  readonly sex: '1' | '2';
  /** 'YYYY-MM-DD' */
  readonly birthDate: string;
  /** GB 3304 code. */
  readonly ethnicity: string;
  readonly place: Place;
  readonly address: string;
}

/** Ethnicities of Guangxi residents, roughly as the census counts them (汉 62%, 壮 31%, then 瑶, 苗, 侗, 仫佬, 毛南, 回, 京). */
const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['01', 62], ['08', 31], ['13', 3.3], ['06', 1], ['12', 0.7], ['32', 0.4], ['36', 0.2], ['03', 0.1], ['49', 0.05], ['07', 0.02],
];

export interface PersonOptions {
  /** Earliest and latest birth date, 'YYYY-MM-DD'. */
  readonly bornFrom: string;
  readonly bornTo: string;
  readonly sex?: '1' | '2';
  readonly place?: Place;
}

/** A resident with a valid ID number of their county of registration, birth date and sex. */
export function randomPerson(random: Random, region: SimulatedRegion, options: PersonOptions): Person {
  const sex = options.sex ?? (chance(random, 0.5) ? '1' : '2');
  const birthDate = dayBetween(random, options.bornFrom, options.bornTo);
  const place = options.place ?? randomPlace(random, region);
  const sequence = 2 * between(random, 0, 499) + (sex === '1' ? 1 : 0);
  return {
    name: personName(random, sex),
    idNumber: generateResidentId({ division: place.county.code, birthDate, sequence }),
    sex,
    birthDate,
    ethnicity: weighted(random, ETHNICITIES),
    place,
    address: address(random, place, chance(random, 0.5), region.provinceName),
  };
}

/** An enterprise or individual business as the market-regulation register knows it. */
export interface Organisation {
  readonly name: string;
  readonly creditCode: string;
  /** 'company' 企业, 'individual' 个体工商户 (credit code 92). */
  readonly kind: 'company' | 'individual';
  readonly industry: (typeof INDUSTRIES)[number];
  readonly place: Place;
  readonly address: string;
  readonly representative: Person;
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** An organisation with a valid credit code registered in its county; its representative an adult resident. */
export function randomOrganisation(random: Random, region: SimulatedRegion, today: string, kind?: Organisation['kind']): Organisation {
  const place = randomPlace(random, region);
  const resolvedKind = kind ?? (chance(random, 0.35) ? 'individual' : 'company');
  const industry = pick(random, INDUSTRIES);
  let body = 'MA5';
  while (body.length < 8) body += pick(random, [...CODE_ALPHABET]);
  const adultUntil = `${Number(today.slice(0, 4)) - 20}${today.slice(4)}`;
  const placeName = chance(random, 0.5) ? place.county.cityName : place.county.name;
  return {
    name: resolvedKind === 'individual' ? shopName(random, place.county.name) : enterpriseName(random, placeName, industry.word),
    creditCode: generateCreditCode({ division: place.county.code, organisationType: resolvedKind === 'individual' ? '2' : '1', organisationBody: body }),
    kind: resolvedKind,
    industry,
    place,
    address: businessAddress(random, place.county),
    representative: randomPerson(random, region, { bornFrom: '1955-01-01', bornTo: adultUntil, place }),
  };
}
