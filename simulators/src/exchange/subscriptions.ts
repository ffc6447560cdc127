import type { DepartmentCode } from '@hub/schemas';

/**
 * One department's standing need for another's data (共享需求): the sharing
 * agreement it asks for at start, and the questions its windows then ask
 * under it. `verify` are the fields a window checks an applicant's word
 * against (核验), as paths into the resource's canonical record; `fields` the
 * sensitive ones it asks to see unmasked (the owner decides).
 */
export interface Subscription {
  readonly subscriber: DepartmentCode;
  /** Resource code of the catalogue (资源编码), e.g. ps.resident-identity. */
  readonly resource: string;
  /** What the data is for (使用用途). */
  readonly purpose: string;
  /** The law that allows the use (共享依据). */
  readonly legalBasis: string;
  readonly verify: readonly string[];
  readonly fields?: readonly string[];
}

/** The owner department of a resource code: the part before the dot. */
export function ownerOf(resource: string): string {
  return resource.slice(0, resource.indexOf('.'));
}

/**
 * Who subscribes to what, as the source reports and the 2016 rules describe
 * the usual flows between one region's departments (横向共享).
 */
export const subscriptionTable: readonly Subscription[] = [
  // 民政: 最低生活保障 checks a household's registration, employment and property.
  { subscriber: 'civil', resource: 'ps.resident-identity', purpose: '最低生活保障申请家庭户籍核查', legalBasis: '《社会救助暂行办法》第十一条', verify: ['name', 'divisionCode'], fields: ['name'] },
  { subscriber: 'civil', resource: 'hrss.social-insurance-enrolment', purpose: '低保家庭成员就业参保情况核对', legalBasis: '《最低生活保障审核确认办法》第十九条', verify: ['name'] },
  { subscriber: 'civil', resource: 'land.real-estate-title', purpose: '低保家庭财产状况核对', legalBasis: '《社会救助暂行办法》第十一条', verify: ['rightsHolders[].name'] },
  // 市场监管: deregistration needs the tax clearance; a legal representative's identity is checked.
  { subscriber: 'market', resource: 'tax.tax-clearance', purpose: '企业注销登记清税信息核验', legalBasis: '《中华人民共和国市场主体登记管理条例》第三十二条', verify: ['taxpayerNumber', 'taxpayerName'] },
  { subscriber: 'market', resource: 'ps.resident-identity', purpose: '企业登记法定代表人身份核验', legalBasis: '《中华人民共和国市场主体登记管理条例实施细则》第二十三条', verify: ['name'] },
  // 住建/房管: pre-sale and public housing need titles, identity, low-income status and social insurance.
  { subscriber: 'housing', resource: 'land.real-estate-title', purpose: '商品房预售及保障性住房资格审核', legalBasis: '《城市商品房预售管理办法》第五条', verify: ['rightsHolders[].name'] },
  { subscriber: 'housing', resource: 'ps.resident-identity', purpose: '公共租赁住房申请资格审核', legalBasis: '《公共租赁住房管理办法》第七条', verify: ['name'] },
  { subscriber: 'housing', resource: 'civil.social-assistance', purpose: '公租房租金减免低保对象核验', legalBasis: '《公共租赁住房管理办法》第十条', verify: ['headName'] },
  { subscriber: 'housing', resource: 'hrss.social-insurance-enrolment', purpose: '购房资格社会保险缴纳核验', legalBasis: '《国务院办公厅关于继续做好房地产市场调控工作的通知》', verify: ['name'] },
  // 税务: new businesses register for tax; property transfers are taxed.
  { subscriber: 'tax', resource: 'market.business-licence', purpose: '新办纳税人登记信息共享', legalBasis: '《中华人民共和国税收征收管理法》第十五条', verify: ['name', 'legalRepresentative'] },
  { subscriber: 'tax', resource: 'land.real-estate-title', purpose: '不动产交易计税信息核验', legalBasis: '《中华人民共和国契税法》第十三条', verify: ['rightsHolders[].name'] },
  // 不动产登记: a transfer needs the deed tax paid and the parties identified.
  { subscriber: 'land', resource: 'tax.tax-clearance', purpose: '不动产转移登记契税完税核验', legalBasis: '《不动产登记暂行条例实施细则》第三十八条', verify: ['taxpayerName'] },
  { subscriber: 'land', resource: 'ps.resident-identity', purpose: '不动产登记申请人身份核验', legalBasis: '《不动产登记暂行条例》第十六条', verify: ['name'] },
  { subscriber: 'land', resource: 'market.business-licence', purpose: '企业申请不动产登记主体资格核验', legalBasis: '《不动产登记暂行条例》第十六条', verify: ['name'] },
  // 人社: enrolment checks the person and the employer.
  { subscriber: 'hrss', resource: 'ps.resident-identity', purpose: '社会保险参保登记身份核验', legalBasis: '《中华人民共和国社会保险法》第五十八条', verify: ['name', 'birthDate'] },
  { subscriber: 'hrss', resource: 'market.business-licence', purpose: '用人单位社会保险登记', legalBasis: '《中华人民共和国社会保险法》第五十七条', verify: ['name'] },
  // 公安: a marriage changes the household register.
  { subscriber: 'ps', resource: 'civil.marriage-registration', purpose: '户籍婚姻状况变更登记', legalBasis: '《中华人民共和国户口登记条例》第十九条', verify: ['partyA.name'] },
];

/**
 * The subscriptions this run plays: those whose subscriber and owner are
 * both simulated (an owner not simulated would never approve, nor push the
 * records the questions are about); `leftOut` names the others and whom they miss.
 */
export function plannedSubscriptions(departments: readonly DepartmentCode[], table: readonly Subscription[] = subscriptionTable): { planned: Subscription[]; leftOut: string[] } {
  const simulated = new Set<string>(departments);
  const planned: Subscription[] = [];
  const leftOut: string[] = [];
  for (const subscription of table) {
    const owner = ownerOf(subscription.resource);
    if (!simulated.has(subscription.subscriber)) continue;
    if (simulated.has(owner)) planned.push(subscription);
    else leftOut.push(`${subscription.subscriber} → ${subscription.resource} (${owner})`);
  }
  return { planned, leftOut };
}

/** `subscriber>resource`: one agreement per pair. */
export function subscriptionKey(subscription: { readonly subscriber: string; readonly resource: string }): string {
  return `${subscription.subscriber}>${subscription.resource}`;
}
