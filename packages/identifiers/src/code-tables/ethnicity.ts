import type { CheckResult } from '../check-result.ts';
import { createCodeTable } from './code-table.ts';

/**
 * Ethnicity (民族), GB 3304-1991: the 56 recognised nationalities, plus 97 for
 * those not yet identified and 98 for Chinese citizens of foreign descent,
 * which public security records also carry.
 */
const ENTRIES = [
  ['01', '汉族'],
  ['02', '蒙古族'],
  ['03', '回族'],
  ['04', '藏族'],
  ['05', '维吾尔族'],
  ['06', '苗族'],
  ['07', '彝族'],
  ['08', '壮族'],
  ['09', '布依族'],
  ['10', '朝鲜族'],
  ['11', '满族'],
  ['12', '侗族'],
  ['13', '瑶族'],
  ['14', '白族'],
  ['15', '土家族'],
  ['16', '哈尼族'],
  ['17', '哈萨克族'],
  ['18', '傣族'],
  ['19', '黎族'],
  ['20', '傈僳族'],
  ['21', '佤族'],
  ['22', '畲族'],
  ['23', '高山族'],
  ['24', '拉祜族'],
  ['25', '水族'],
  ['26', '东乡族'],
  ['27', '纳西族'],
  ['28', '景颇族'],
  ['29', '柯尔克孜族'],
  ['30', '土族'],
  ['31', '达斡尔族'],
  ['32', '仫佬族'],
  ['33', '羌族'],
  ['34', '布朗族'],
  ['35', '撒拉族'],
  ['36', '毛南族'],
  ['37', '仡佬族'],
  ['38', '锡伯族'],
  ['39', '阿昌族'],
  ['40', '普米族'],
  ['41', '塔吉克族'],
  ['42', '怒族'],
  ['43', '乌孜别克族'],
  ['44', '俄罗斯族'],
  ['45', '鄂温克族'],
  ['46', '德昂族'],
  ['47', '保安族'],
  ['48', '裕固族'],
  ['49', '京族'],
  ['50', '塔塔尔族'],
  ['51', '独龙族'],
  ['52', '鄂伦春族'],
  ['53', '赫哲族'],
  ['54', '门巴族'],
  ['55', '珞巴族'],
  ['56', '基诺族'],
  ['97', '其他'],
  ['98', '外国血统中国籍人士'],
] as const;

export type EthnicityCode = (typeof ENTRIES)[number][0];

/** Every name also without its 族 suffix ("汉" for 汉族), and older spellings still found in records. */
const ALIASES: readonly (readonly [string, EthnicityCode])[] = [
  ...ENTRIES.filter(([code]) => code <= '56').map(([code, name]) => [name.slice(0, -1), code] as const),
  ['毛难族', '36'], // the name until 1986
  ['毛难', '36'],
  ['未识别民族', '97'],
  ['外国血统', '98'],
];

const ETHNICITY = createCodeTable<EthnicityCode>({
  subject: 'ethnicity',
  standard: 'GB 3304',
  entries: ENTRIES,
  aliases: ALIASES,
  padDigitsTo: 2,
});

export const ETHNICITY_CODES: ReadonlyMap<EthnicityCode, string> = ETHNICITY.names;

/** "汉", "汉族", "01", "1" → '01'. */
export function normaliseEthnicity(text: string): CheckResult<EthnicityCode> {
  return ETHNICITY.normalise(text);
}
