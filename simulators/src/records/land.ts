import { realEstateTitle } from '@hub/connector-land';
import { compact, dayBetween, recentUpdateTime } from '../dates.ts';
import { randomOrganisation, randomPerson } from '../people.ts';
import { address, randomPlace } from '../places.ts';
import { type Random, between, chance, digits, pick, weighted } from '../random.ts';
import { badDecimal, checkCharacter, impossibleDate, missing, unknownCode, unknownDivision } from './defects.ts';
import type { ResourceSimulator } from './simulator.ts';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Two decimals, sometimes with the unit the register prints. */
function writtenArea(random: Random, squareMetres: number): string {
  const fixed = squareMetres.toFixed(2);
  return weighted(random, [[fixed, 0.7], [`${fixed}㎡`, 0.2], [`${fixed}平方米`, 0.1]]);
}

/** 不动产登记: flats held by a couple or one person, and land held by companies. */
export const realEstateTitleSimulator: ResourceSimulator = {
  department: 'land',
  resource: 'real-estate-title',
  mapping: realEstateTitle,
  good(random, { region, now, today }) {
    const place = randomPlace(random, region);
    const county = place.county;
    const holding = weighted(random, [['couple', 0.55], ['single', 0.3], ['company', 0.15]] as const);
    const landOnly = holding === 'company' && chance(random, 0.6);
    const zone = `${pad(between(random, 1, 15), 3)}${pad(between(random, 1, 20), 3)}`;
    const fixture = landOnly ? 'W00000000' : `F${pad(between(random, 1, 40), 4)}${pad(between(random, 1, 400), 4)}`;
    const unit = `${county.code}${zone}G${landOnly ? 'B' : pick(random, ['B', 'B', 'S'])}${digits(random, 5)}${fixture}`;
    const registeredOn = dayBetween(random, '2015-03-01', today);
    const office = county.cityName === county.name ? county.name : county.cityName;
    const certificate = `${region.abbreviation}${chance(random, 0.85) ? `(${registeredOn.slice(0, 4)})` : `（${registeredOn.slice(0, 4)}）`}${office}不动产权第${digits(random, 7)}号`;

    let holders: { name: string; number: string }[];
    let ownership = '单独所有';
    let shares = '';
    if (holding === 'company') {
      const company = randomOrganisation(random, region, today, 'company');
      holders = [{ name: company.name, number: company.creditCode }];
    } else {
      const first = randomPerson(random, region, { bornFrom: '1950-01-01', bornTo: '1998-12-31', sex: '1', place });
      holders = [{ name: first.name, number: first.idNumber }];
      if (holding === 'couple') {
        const second = randomPerson(random, region, { bornFrom: '1950-01-01', bornTo: '1999-12-31', sex: '2', place });
        holders.push({ name: second.name, number: second.idNumber });
        ownership = pick(random, ['共同共有', '按份共有']);
        shares = ownership === '按份共有' ? pick(random, ['50%、50%', '60%、40%', '1/2、1/2']) : '';
      }
    }
    const separator = pick(random, ['、', ';']);
    const residential = !landOnly && holding !== 'company';
    return {
      BDCDYH: unit,
      BDCQZH: certificate,
      QLR: holders.map((h) => h.name).join(separator),
      QLRZJH: holders.map((h) => h.number).join(separator),
      GYFS: ownership,
      QLBL: shares.replace('、', separator),
      QLLX: landOnly ? pick(random, ['国有建设用地使用权', '3']) : pick(random, ['国有建设用地使用权/房屋所有权', '4']),
      QLXZ: residential ? pick(random, ['出让/市场化商品房', '划拨/房改房', '出让/自建房']) : '出让',
      ZL: address(random, place, false, region.provinceName),
      MJ: writtenArea(random, residential ? between(random, 4_500, 18_000) / 100 : between(random, 50_000, 5_000_000) / 100),
      YT: residential ? '城镇住宅用地/住宅' : landOnly ? pick(random, ['商务金融用地', '工业用地']) : '商务金融用地/办公',
      DJSJ: chance(random, 0.5) ? `${compact(registeredOn)}${pad(between(random, 8, 17), 2)}${pad(between(random, 0, 59), 2)}00` : compact(registeredOn),
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('QLRZJH'),
    unknownDivision('BDCDYH'),
    impossibleDate('DJSJ'),
    unknownCode('QLLX', ['房屋租赁权', '小产权']),
    badDecimal('MJ'),
    missing('ZL'),
    missing('QLR'),
  ],
};
