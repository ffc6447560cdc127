import { businessLicence, foodBusinessPermit } from '@hub/connector-market';
import { addDays, addYears, dayBetween, recentUpdateTime, writtenDate } from '../dates.ts';
import { randomOrganisation } from '../people.ts';
import type { County } from '../places.ts';
import { type Random, between, chance, digits, pick, weighted } from '../random.ts';
import { badDecimal, checkCharacter, impossibleDate, missing, unknownCode, unknownDivision } from './defects.ts';
import type { ResourceSimulator } from './simulator.ts';

function authorityName(county: County): string {
  return `${county.cityName === county.name ? '' : county.cityName}${county.name}市场监督管理局`;
}

/** Registered capital in 万元, as the licence prints it. */
function writtenCapital(random: Random, tenThousands: number): string {
  return pick(random, [`${tenThousands}万元`, `${tenThousands}`, `${tenThousands.toFixed(2)}万人民币`, `${tenThousands}万元人民币`]);
}

const COMPANY_TYPES = ['有限责任公司(自然人投资或控股)', '有限责任公司（自然人独资）', '其他有限责任公司', '股份有限公司(非上市、自然人投资或控股)'];

/** 企业登记信息: companies and individual businesses registered in their county. */
export const businessLicenceSimulator: ResourceSimulator = {
  department: 'market',
  resource: 'business-licence',
  mapping: businessLicence,
  good(random, { region, now, today }) {
    const organisation = randomOrganisation(random, region, today);
    const individual = organisation.kind === 'individual';
    const county = organisation.place.county;
    return {
      TYSHXYDM: organisation.creditCode,
      QYMC: organisation.name,
      QYLX: individual ? '个体工商户' : pick(random, COMPANY_TYPES),
      FDDBR: organisation.representative.name,
      ZCZB: writtenCapital(random, individual ? between(random, 1, 50) : pick(random, [10, 50, 100, 200, 300, 500, 1000, 3000, 5000])),
      CLRQ: writtenDate(random, dayBetween(random, '1998-01-01', today)),
      ZS: organisation.address,
      JYFW: individual ? '餐饮服务；食品销售；日用百货销售' : organisation.industry.scope,
      DJJG: authorityName(county),
      DJJGDM: county.code,
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('TYSHXYDM'),
    impossibleDate('CLRQ'),
    unknownDivision('DJJGDM'),
    badDecimal('ZCZB'),
    missing('FDDBR'),
    missing('QYMC'),
  ],
};

interface BusinessFormat {
  readonly digit: '1' | '2' | '3';
  readonly texts: readonly string[];
  readonly items: readonly string[];
}

const FORMATS: readonly [BusinessFormat, BusinessFormat, BusinessFormat] = [
  { digit: '1', texts: ['食品销售经营者'], items: ['预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售', '预包装食品（不含冷藏冷冻食品）销售'] },
  { digit: '2', texts: ['餐饮服务经营者（小型餐馆）', '餐饮服务经营者（快餐店）', '餐饮服务经营者（小吃店）', '餐饮服务经营者(饮品店)'], items: ['热食类食品制售；冷食类食品制售', '热食类食品制售', '自制饮品制售'] },
  { digit: '3', texts: ['单位食堂（职工食堂）', '单位食堂（学校食堂）'], items: ['热食类食品制售'] },
];

/** 食品经营许可证: shops, restaurants and canteens, five years' validity. */
export const foodBusinessPermitSimulator: ResourceSimulator = {
  department: 'market',
  resource: 'food-business-permit',
  mapping: foodBusinessPermit,
  good(random, { region, now, today }) {
    const format = weighted(random, [[FORMATS[0], 0.3], [FORMATS[1], 0.6], [FORMATS[2], 0.1]]);
    const organisation = randomOrganisation(random, region, today, format.digit === '2' && chance(random, 0.8) ? 'individual' : 'company');
    const county = organisation.place.county;
    const validFrom = dayBetween(random, addYears(today, -4), today);
    return {
      XKZBH: `JY${format.digit}${county.code}${digits(random, 6)}${digits(random, 1)}`,
      TYSHXYDM: organisation.creditCode,
      JYZMC: organisation.name,
      FDDBR: organisation.representative.name,
      JYCS: `${organisation.address}${pick(random, ['一楼', '一层', '', '首层'])}`,
      ZTYT: pick(random, format.texts),
      JYXM: pick(random, format.items),
      YXQQ: writtenDate(random, validFrom),
      YXQZ: writtenDate(random, addDays(addYears(validFrom, 5), -1)),
      FZJG: authorityName(county),
      GXSJ: recentUpdateTime(random, now),
    };
  },
  defects: [
    checkCharacter('TYSHXYDM'),
    unknownDivision('XKZBH', 3),
    impossibleDate('YXQQ'),
    unknownCode('ZTYT', ['网红餐厅', '流动摊贩']),
    missing('JYZMC'),
    missing('JYXM'),
  ],
};
