import { SIMULATION_PROVINCE, chinaDivisions, divisionName, sampleDivisions } from '@hub/identifiers';
import { type Random, between, chance, pick } from './random.ts';

/** A village or urban community (村/社区) with its statistical code. */
export interface Village {
  readonly code: string;
  readonly name: string;
}

/** A town, township or street office (乡镇/街道). */
export interface Town {
  readonly code: string;
  readonly name: string;
  /** Street offices (街道) are urban: urban allowances, street addresses. */
  readonly urban: boolean;
  readonly villages: readonly Village[];
}

/** A county-level division (县/区/县级市) with its city and province names. */
export interface County {
  readonly code: string;
  readonly name: string;
  readonly cityCode: string;
  readonly cityName: string;
  readonly towns: readonly Town[];
}

/** The counties, towns and villages of one province that a simulation draws from. */
export interface SimulatedRegion {
  readonly province: string;
  readonly provinceName: string;
  /** Province abbreviation (简称) for certificate numbers, e.g. 桂. */
  readonly abbreviation: string;
  readonly counties: readonly County[];
}

export interface RegionOptions {
  /** Province code, 2 or 6 digits; Guangxi (450000) by default. */
  readonly province?: string;
  /** How many distinct counties to draw; 12 by default. */
  readonly counties?: number;
}

const ABBREVIATIONS: Readonly<Record<string, string>> = { '45': '桂', '44': '粤', '43': '湘', '53': '云', '52': '黔', '36': '赣', '33': '浙' };

/**
 * Real divisions of one province from the statistics bureau's codes: a few
 * counties drawn with `random`, each with all its towns and villages.
 */
export function simulatedRegion(random: Random, options: RegionOptions = {}): SimulatedRegion {
  const province = (options.province ?? SIMULATION_PROVINCE).slice(0, 2);
  const catalogue = chinaDivisions();
  const wanted = options.counties ?? 12;
  const townCodes = catalogue.codesWithin(province, 'town');
  const villageCodes = catalogue.codesWithin(province, 'village');
  const codes = new Set<string>();
  for (let attempt = 0; codes.size < wanted && attempt < wanted * 20; attempt += 1) {
    const [code] = sampleDivisions(province, 'county', 1, random, catalogue);
    if (code !== undefined) codes.add(code);
  }
  const counties = [...codes].sort().flatMap((code): County[] => {
    const towns = townCodes
      .filter((town) => town.startsWith(code) && /^\d{6}[0-3]\d{2}$/.test(town))
      .map((town): Town => {
        const name = divisionName(town, catalogue) ?? town;
        const villages = villageCodes
          .filter((village) => village.startsWith(town))
          .map((village) => ({ code: village, name: divisionName(village, catalogue) ?? village }));
        return { code: town, name, urban: name.endsWith('街道'), villages };
      })
      .filter((town) => town.villages.length > 0);
    const cityCode = `${code.slice(0, 4)}00`;
    const name = divisionName(code, catalogue);
    if (towns.length === 0 || name === undefined) return [];
    return [{ code, name, cityCode, cityName: divisionName(cityCode, catalogue) ?? '', towns }];
  });
  if (counties.length === 0) throw new RangeError(`no counties with towns and villages found in province ${province}`);
  return {
    province,
    provinceName: divisionName(`${province}0000`, catalogue) ?? province,
    abbreviation: ABBREVIATIONS[province] ?? '桂',
    counties,
  };
}

const ROADS = [
  '民族大道', '朝阳路', '民生路', '人民路', '友爱路', '建政路', '桃源路', '七星路', '中山路', '解放路', '新民路',
  '园湖路', '长湖路', '江南路', '五一路', '星光大道', '北湖路', '秀厢大道', '明秀路', '滨江路',
];

/** A place in the region: county, town and village, drawn uniformly at each level. */
export interface Place {
  readonly county: County;
  readonly town: Town;
  readonly village: Village;
}

export function randomPlace(random: Random, region: SimulatedRegion): Place {
  const county = pick(random, region.counties);
  const town = pick(random, county.towns);
  return { county, town, village: pick(random, town.villages) };
}

/** The city part of an address; empty for a county directly under the province. */
function cityPart(county: County): string {
  return county.cityName === county.name ? '' : county.cityName;
}

/**
 * An address as household registers write it: a street address in a street
 * office (街道), a village and hamlet (屯) elsewhere. `withProvince` adds the
 * province name in front, as ID cards print it.
 */
export function address(random: Random, { county, town, village }: Place, withProvince: boolean, provinceName: string): string {
  const head = `${withProvince ? provinceName : ''}${cityPart(county)}${county.name}`;
  if (town.urban) {
    const building = chance(random, 0.7) ? `${between(random, 1, 30)}栋${between(random, 1, 4)}单元${between(random, 1, 33)}0${between(random, 1, 6)}室` : '';
    return `${head}${pick(random, ROADS)}${between(random, 1, 399)}号${building}`;
  }
  const hamlet = village.name.replace(/(村民委员会|居民委员会|村委会|社区居委会|居委会)$/, '');
  return `${head}${town.name}${hamlet}${hamlet.endsWith('村') || hamlet.endsWith('社区') ? '' : '村'}${between(random, 1, 12)}组${between(random, 1, 120)}号`;
}

/** A business address: a street address in the county seat. */
export function businessAddress(random: Random, county: County): string {
  return `${cityPart(county)}${county.name}${pick(random, ROADS)}${between(random, 1, 399)}号${chance(random, 0.4) ? `${between(random, 1, 30)}楼` : ''}`;
}
