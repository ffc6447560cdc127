import { type Random, chance, pick, weighted } from './random.ts';

/**
 * Surnames (姓) with rough weights for Guangxi: the national top surnames,
 * plus the Zhuang and other local ones (韦, 覃, 蒙, 农, 莫, 陆, 卢, 廖).
 */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['黄', 9], ['李', 7], ['陈', 6], ['梁', 5], ['韦', 5], ['刘', 5], ['林', 4], ['张', 4], ['王', 4], ['莫', 3],
  ['覃', 3], ['蒙', 2], ['农', 2], ['陆', 2], ['卢', 2], ['廖', 2], ['蓝', 2], ['杨', 3], ['周', 2], ['吴', 2],
  ['何', 2], ['谢', 2], ['罗', 2], ['唐', 2], ['邓', 2], ['冯', 1], ['潘', 1], ['钟', 1], ['苏', 1], ['赵', 1],
  ['甘', 1], ['庞', 1], ['朱', 1], ['曾', 1], ['欧阳', 0.3], ['司马', 0.1],
];

const MALE_CHARACTERS = [...'建国伟强军明华志刚勇杰磊涛斌鹏辉宇浩俊峰文武海波东亮成林德福永胜振宏家兴荣晨旭昊'];
const FEMALE_CHARACTERS = [...'丽娟秀英芳敏静玲燕红霞梅兰婷雪琳慧颖洁莉萍艳凤娜倩琴瑶欣怡佳雯思晓'];

/** A realistic Chinese personal name for a man ('1') or a woman ('2'): surname and one or two characters. */
export function personName(random: Random, sex: '1' | '2'): string {
  const characters = sex === '1' ? MALE_CHARACTERS : FEMALE_CHARACTERS;
  const given = chance(random, 0.7) ? pick(random, characters) + pick(random, characters) : pick(random, characters);
  return weighted(random, SURNAMES) + given;
}

/** Trade names (字号) of enterprises. */
const TRADE_NAMES = [
  '八桂', '邕江', '绿城', '壮锦', '漓江', '桂花', '南湖', '青秀', '铜鼓', '凤岭', '五象', '相思', '红豆', '金穗',
  '华南', '恒昌', '永丰', '鑫源', '宏达', '百信', '安居', '通达', '聚福', '德润', '万和', '盛世',
];

/** Industries with their enterprise-name word and a business scope (经营范围) as registered. */
export const INDUSTRIES = [
  { word: '数字科技', scope: '软件开发；信息系统集成服务；数据处理和存储支持服务' },
  { word: '建筑工程', scope: '房屋建筑工程施工；市政公用工程施工；建筑材料销售' },
  { word: '商贸', scope: '日用百货销售；五金产品批发；农副产品销售' },
  { word: '餐饮管理', scope: '餐饮服务；餐饮管理；食品销售' },
  { word: '农业发展', scope: '蔬菜种植；水果种植；农产品的生产、销售、加工、运输、贮藏及其他相关服务' },
  { word: '物流', scope: '普通货物仓储服务；道路货物运输；国内货物运输代理' },
  { word: '房地产开发', scope: '房地产开发经营；物业管理；住房租赁' },
  { word: '文化传媒', scope: '文艺创作；组织文化艺术交流活动；广告设计、代理' },
] as const;

/** An enterprise name (企业名称): place + trade name + industry + form, e.g. 南宁市八桂数字科技有限公司. */
export function enterpriseName(random: Random, place: string, industryWord: string): string {
  const form = chance(random, 0.85) ? '有限公司' : '有限责任公司';
  return `${place}${pick(random, TRADE_NAMES)}${industryWord}${form}`;
}

/** A shop or restaurant name (个体工商户字号), e.g. 兴宁区味道餐馆. */
export function shopName(random: Random, place: string): string {
  const shop = pick(random, ['味道餐馆', '老友粉店', '螺蛳粉店', '便利店', '水果店', '粮油店', '快餐店', '烧烤店', '面包坊', '茶餐厅']);
  return `${place}${pick(random, ['阿', '老', '小', ''])}${pick(random, TRADE_NAMES)}${shop}`;
}
