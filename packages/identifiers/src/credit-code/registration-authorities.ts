/**
 * Position 1 (登记管理部门码) and position 2 (机构类别码) of the unified social
 * credit code.
 *
 * The 2015 standard (GB 32100-2015, Appendix A) assigned 1-9 and Y; later
 * assignments by the standard's administrators added A (military), N
 * (agricultural collectives) and others, and new organisation types within
 * existing authorities. Entries marked `later: true` come from those later
 * assignments as reproduced in secondary sources, not from the 2015 text; they
 * are included so that real codes are not rejected. Extend this table when a
 * new assignment is published rather than loosening the check.
 */
export interface RegistrationAuthority {
  readonly name: string;
  readonly types: ReadonlyMap<string, string>;
  readonly later?: boolean;
}

export const REGISTRATION_AUTHORITIES: ReadonlyMap<string, RegistrationAuthority> = new Map<
  string,
  RegistrationAuthority
>([
  [
    '1',
    {
      name: '机构编制',
      types: new Map([
        ['1', '机关'],
        ['2', '事业单位'],
        ['3', '中央编办直接管理机构编制的群众团体'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    '2',
    {
      name: '外交',
      types: new Map([
        ['1', '外国常驻新闻机构'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    '3',
    {
      name: '司法行政',
      types: new Map([
        ['1', '律师执业机构'],
        ['2', '公证处'],
        ['3', '基层法律服务所'],
        ['4', '司法鉴定机构'],
        ['5', '仲裁委员会'],
        ['6', '商事调解组织'], // later assignment
        ['9', '其他'],
      ]),
    },
  ],
  [
    '4',
    {
      name: '文化',
      types: new Map([
        ['1', '外国在华文化中心'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    '5',
    {
      name: '民政',
      types: new Map([
        ['1', '社会团体'],
        ['2', '民办非企业单位'],
        ['3', '基金会'],
        ['4', '村民委员会'], // later assignment
        ['5', '居民委员会'], // later assignment
        ['9', '其他'],
      ]),
    },
  ],
  [
    '6',
    {
      name: '旅游',
      types: new Map([
        ['1', '外国政府旅游部门常驻代表机构'],
        ['2', '港澳台地区政府旅游部门常驻内地（大陆）代表机构'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    '7',
    {
      name: '宗教',
      types: new Map([
        ['1', '宗教活动场所'],
        ['2', '宗教院校'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    '8',
    {
      name: '工会',
      types: new Map([
        ['1', '基层工会'],
        ['2', '非法人工会组织'], // later assignment
        ['9', '其他'],
      ]),
    },
  ],
  [
    '9',
    {
      name: '工商（市场监管）',
      types: new Map([
        ['1', '企业'],
        ['2', '个体工商户'],
        ['3', '农民专业合作社'],
      ]),
    },
  ],
  [
    'A',
    {
      name: '中央军委改革和编制办公室',
      later: true,
      types: new Map([
        ['1', '军队事业单位'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    'G',
    {
      name: '公安（境外非政府组织管理）',
      later: true,
      types: new Map([
        ['1', '境外非政府组织代表机构'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    'J',
    {
      name: '住房和城乡建设',
      later: true,
      types: new Map([
        ['1', '业主大会'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    'N',
    {
      name: '农业农村',
      later: true,
      types: new Map([
        ['1', '组级集体经济组织'],
        ['2', '村级集体经济组织'],
        ['3', '乡镇级集体经济组织'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    'Q',
    {
      name: '归国华侨联合会',
      later: true,
      types: new Map([
        ['1', '区县级侨联组织'],
        ['2', '乡镇级侨联组织'],
        ['3', '村级侨联组织'],
        ['9', '其他'],
      ]),
    },
  ],
  [
    'Y',
    {
      // No organisation types: position 2 is always 1.
      name: '其他',
      types: new Map([['1', '不再具体划分机构类别']]),
    },
  ],
]);
