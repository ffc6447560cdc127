import type { Item } from './item.ts';

/**
 * The items the hub ships with (事项目录), defined at the first start of the
 * router (a definition already recorded is not recorded again). Codes follow
 * the form of the national item code (事项编码: the implementing authority's
 * credit code, then the item number) for a fictional Nanning (南宁, 4501)
 * centre; 食品经营许可 uses the code of the schemas' sample case. Limits are in
 * working days: the legal one as the law or regulation sets it (converted where
 * the law counts calendar days), the promised one as centres publish.
 */
export const shippedItems: readonly Item[] = [
  {
    code: '11450100MB1534568L4000117001000',
    name: '企业设立登记',
    leadDepartment: 'market',
    // 市场主体登记管理条例 第十九条: 3 working days; most centres promise 1 (一日办结), with tax and seal engraving (公安印章备案) alongside.
    legalDays: 3,
    promisedDays: 1,
    stages: [{ departments: ['tax', 'ps'], dueDays: 1 }],
    certificateType: '营业执照',
  },
  {
    code: '11450100MB1534568L4000117005000',
    name: '食品经营许可（新办）',
    leadDepartment: 'market',
    // 食品经营许可和备案管理办法 第二十条: 10 working days; the sample case of the schemas promises 5 with a staged site check by housing.
    legalDays: 20,
    promisedDays: 5,
    stages: [{ departments: ['housing'], dueDays: 3 }],
    certificateType: '食品经营许可证',
  },
  {
    code: '11450100MB190375424000118002000',
    name: '不动产转移登记',
    leadDepartment: 'land',
    // 不动产登记暂行条例 第二十条: 30 working days; the tax bureau confirms the deed tax (契税完税) first.
    legalDays: 30,
    promisedDays: 5,
    stages: [{ departments: ['tax'], dueDays: 2 }],
    fee: { amount: '80.00', basis: '不动产登记费：住宅类每件80元（国家发展改革委 财政部 发改价格规〔2016〕2559号）' },
    certificateType: '不动产权证书',
  },
  {
    code: '11450100MB190375424000118007000',
    name: '二手房交易（存量房转移登记）',
    leadDepartment: 'land',
    // 房管 checks the online filing of the sale contract (网签备案), then tax collects deed tax and personal income tax.
    legalDays: 30,
    promisedDays: 5,
    stages: [
      { departments: ['housing'], dueDays: 1 },
      { departments: ['tax'], dueDays: 2 },
    ],
    fee: { amount: '80.00', basis: '不动产登记费：住宅类每件80元（发改价格规〔2016〕2559号）；证书工本费首本免收' },
    certificateType: '不动产权证书',
  },
  {
    code: '11450100MB190375424000118011000',
    name: '建设工程规划许可证核发',
    leadDepartment: 'land',
    // 城乡规划法 第四十条 sets no limit, so the licensing law's 20 days apply; housing checks the design, civil affairs the place name (地名核准).
    legalDays: 20,
    promisedDays: 10,
    stages: [{ departments: ['housing', 'civil'], dueDays: 5 }],
    certificateType: '建设工程规划许可证',
  },
  {
    code: '11450100MB1596344B4000119003000',
    name: '建筑工程施工许可证核发',
    leadDepartment: 'housing',
    // 建筑法 第八条 and 建筑工程施工许可管理办法 第五条: 7 days. Land-use and planning, and the builder's licence, first; then the migrant-worker wage guarantee (农民工工资保证金) at hrss.
    legalDays: 7,
    promisedDays: 5,
    stages: [
      { departments: ['land', 'market'], dueDays: 2 },
      { departments: ['hrss'], dueDays: 2 },
    ],
    certificateType: '建筑工程施工许可证',
  },
  {
    code: '11450100MB1596344B4000119008000',
    name: '商品房预售许可',
    leadDepartment: 'housing',
    // 城市商品房预售管理办法 第七条: 10 days; land confirms the land-use right certificate.
    legalDays: 10,
    promisedDays: 7,
    stages: [{ departments: ['land'], dueDays: 3 }],
    certificateType: '商品房预售许可证',
  },
  {
    code: '11450100MB1752183A4000120001000',
    name: '最低生活保障申请',
    leadDepartment: 'civil',
    // 最低生活保障审核确认办法: household registration (ps) and social insurance and employment (hrss) are checked by data sharing.
    legalDays: 30,
    promisedDays: 15,
    stages: [{ departments: ['ps', 'hrss'], dueDays: 5 }],
    certificateType: '最低生活保障证',
  },
  {
    code: '11450100MB1752183A4000120004000',
    name: '内地居民结婚登记',
    leadDepartment: 'civil',
    // 婚姻登记条例 第七条: registered on the spot (当场), free since 2016.
    legalDays: 1,
    promisedDays: 0,
    stages: [],
    certificateType: '结婚证',
  },
  {
    code: '11450100MB1629409E4000121002000',
    name: '户口迁移（准予迁入）',
    leadDepartment: 'ps',
    legalDays: 20,
    promisedDays: 5,
    stages: [],
    certificateType: '准予迁入证明',
  },
  {
    code: '11450100MB1629409E4000121006000',
    name: '居民身份证换领',
    leadDepartment: 'ps',
    // 居民身份证法 第十条: issued within 60 days (calendar), about 40 working days.
    legalDays: 40,
    promisedDays: 15,
    stages: [],
    fee: { amount: '20.00', basis: '居民身份证工本费每证20元（国家发展改革委 财政部 发改价格〔2003〕2322号）' },
    certificateType: '居民身份证',
  },
  {
    code: '11450100MB1685275F4000122001000',
    name: '社会保险登记（单位参保）',
    leadDepartment: 'hrss',
    // 社会保险法 第五十七条: 15 days; the business licence is checked with market regulation. No certificate since 五证合一.
    legalDays: 15,
    promisedDays: 3,
    stages: [{ departments: ['market'], dueDays: 1 }],
  },
  {
    code: '11450100MB1685275F4000122009000',
    name: '失业保险金申领',
    leadDepartment: 'hrss',
    // 失业保险金申领发放办法 第七条: within 10 days; the hrss office decides alone from its own records.
    legalDays: 10,
    promisedDays: 5,
    stages: [],
  },
  {
    code: '11450100MB1872636W4000123001000',
    name: '增值税专用发票最高开票限额审批',
    leadDepartment: 'tax',
    // The tax bureau's one remaining administrative licence: 20 working days by law, 10 promised (限额十万元以下当场办结 is not modelled).
    legalDays: 20,
    promisedDays: 10,
    stages: [{ departments: ['market'], dueDays: 3 }],
    certificateType: '准予税务行政许可决定书',
  },
];
