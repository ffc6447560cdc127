import type { Message } from '@hub/decider';
import type { ItemDefined } from '@hub/schemas';
import type { Item } from './item.ts';
import { checkItem, type ItemProblem } from './validate.ts';

/**
 * An item was defined or redefined (事项定义, `ItemDefined` of schemas/): the
 * whole definition, so the latest event per item code is the whole truth about
 * it (the topic may be compacted by `itemCode`). `eventId` is
 * `item:<itemCode>:<version>`; `definedBy` the operator principal, or
 * `catalogue` for the shipped items.
 */
export type { ItemDefined };

export type ItemEvent = Message<'ItemDefined', ItemDefined>;

/** The router's item table (事项表), rebuilt by replaying `ItemDefined`. */
export interface ItemTable {
  readonly items: Map<string, { item: Item; version: number; definedAt: Date }>;
  /**
   * Recorded definitions that today's rules reject (written under other
   * rules): the previous definition stays in force, and the operator sees these.
   */
  readonly unreadable: Array<{ eventId: string; problems: readonly ItemProblem[] }>;
}

export const itemEventId = (itemCode: string, version: number): string => `item:${itemCode}:${version}`;

export function initialItemTable(): ItemTable {
  return { items: new Map(), unreadable: [] };
}

/** The event data of a definition. */
export function itemDefinedData(item: Item, version: number, occurredAt: Date, definedBy: string): ItemDefined {
  return {
    eventId: itemEventId(item.code, version),
    occurredAt,
    itemCode: item.code,
    version,
    name: item.name,
    leadDepartment: item.leadDepartment,
    legalDays: item.legalDays,
    promisedDays: item.promisedDays,
    stages: item.stages.map((stage) => ({ departments: [...stage.departments], dueDays: stage.dueDays })),
    fee: item.fee ? { amount: item.fee.amount, basis: item.fee.basis } : null,
    certificateType: item.certificateType ?? null,
    definedBy,
  };
}

/** In place: the table belongs to whoever folds the events. */
export function evolveItemTable(table: ItemTable, event: ItemEvent): ItemTable {
  switch (event.type) {
    case 'ItemDefined': {
      const { itemCode: code, name, leadDepartment, legalDays, promisedDays, stages, fee, certificateType } = event.data;
      // Checked again rather than cast: the lookup only ever holds items today's rules accept.
      const checked = checkItem({ code, name, leadDepartment, legalDays, promisedDays, stages, fee, certificateType });
      if (checked.ok) table.items.set(code, { item: checked.item, version: event.data.version, definedAt: event.data.occurredAt });
      else table.unreadable.push({ eventId: event.data.eventId, problems: checked.problems });
      return table;
    }
    default: {
      const _exhaustive: never = event.type;
      return table;
    }
  }
}

/** The look-up the case decider takes: an item by its code. */
export function itemLookup(table: ItemTable): (code: string) => Item | undefined {
  return (code) => table.items.get(code)?.item;
}
