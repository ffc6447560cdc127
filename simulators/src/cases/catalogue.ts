import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type DepartmentCode, departments } from '@hub/schemas';

const Department = Type.Union(departments.map((d) => Type.Literal(d.code)));

/**
 * One licensing item (事项) as `GET /v1/items` lists it: who leads, the time
 * limits in working days, the co-approval stages (串联环节, each of parallel
 * departments), the fee and the certificate. The simulators read the items
 * from the gateway instead of importing the hub's catalogue: they stand for
 * systems outside the hub.
 */
export const CatalogueItem = Type.Object({
  itemCode: Type.String({ minLength: 1 }),
  name: Type.String({ minLength: 1 }),
  leadDepartment: Department,
  legalDays: Type.Integer({ minimum: 1 }),
  promisedDays: Type.Integer({ minimum: 0 }),
  stages: Type.Array(Type.Object({ departments: Type.Array(Department, { minItems: 1 }), dueDays: Type.Integer({ minimum: 1 }) })),
  fee: Type.Union([Type.Object({ amount: Type.String(), basis: Type.String() }), Type.Null()]),
  certificateType: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
});

export type CatalogueItem = Static<typeof CatalogueItem>;

/**
 * The items of a `GET /v1/items` answer, sorted by code so that a plan drawn
 * from them does not depend on the order the gateway lists them in. Entries
 * that do not have the shape above are returned in `skipped`, not thrown on.
 */
export function readCatalogue(body: unknown): { items: CatalogueItem[]; skipped: number } {
  const list = typeof body === 'object' && body !== null && 'items' in body && Array.isArray(body.items) ? (body.items as unknown[]) : [];
  const items: CatalogueItem[] = [];
  let skipped = 0;
  for (const entry of list) {
    // Clean keeps only the fields above: the item's version and definition time are not the simulators' business.
    const cleaned = Value.Clean(CatalogueItem, structuredClone(entry));
    if (Value.Check(CatalogueItem, cleaned)) items.push(cleaned);
    else skipped += 1;
  }
  items.sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0));
  return { items, skipped };
}

/** The co-approving departments (协办部门) of an item, stage by stage. */
export function coApproversOf(item: Pick<CatalogueItem, 'stages'>): DepartmentCode[] {
  return item.stages.flatMap((stage) => stage.departments);
}

/**
 * Whether an organisation (法人) or a person (自然人) applies for the item:
 * the simulators guess it from the item's name, which says so for the items
 * centres handle (企业, 工程, 许可 of a business…).
 */
export function applicantKindOf(item: Pick<CatalogueItem, 'name'>): 'person' | 'organisation' {
  return /企业|工程|商品房|食品|经营|单位|发票|公司/.test(item.name) ? 'organisation' : 'person';
}
