import { shippedItems } from '@hub/router';
import type { CatalogueItem } from '../catalogue.ts';

/**
 * The hub's shipped items as `GET /v1/items` lists them, for tests: the
 * simulators themselves read the items from the gateway.
 */
export const catalogueItems: CatalogueItem[] = shippedItems.map((item) => ({
  itemCode: item.code,
  name: item.name,
  leadDepartment: item.leadDepartment,
  legalDays: item.legalDays,
  promisedDays: item.promisedDays,
  stages: item.stages.map((stage) => ({ departments: [...stage.departments], dueDays: stage.dueDays })),
  fee: item.fee ? { amount: item.fee.amount, basis: item.fee.basis } : null,
  certificateType: item.certificateType ?? null,
}));

export function catalogueItem(name: string): CatalogueItem {
  const item = catalogueItems.find((candidate) => candidate.name === name);
  if (!item) throw new Error(`no shipped item ${name}`);
  return item;
}
