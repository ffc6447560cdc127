import { accept, refuse, type Decider, type Message, type Refusal } from '@hub/decider';
import { evolveItemTable, initialItemTable, itemDefinedData, type ItemEvent, type ItemTable } from './events.ts';
import { sameItem, type Item } from './item.ts';
import { checkItem, type ItemProblem } from './validate.ts';

/** The operator (or the shipped catalogue at start) defines an item; `definition` is the body as sent, checked here. */
export type ItemCommand = Message<'DefineItem', { definition: unknown; occurredAt: Date; definedBy: string }>;

export type ItemRefusal = Refusal<'InvalidItem'> & { readonly problems: readonly ItemProblem[] };

/** What a definition answers: the item's version now, and whether this definition changed it. */
export interface ItemDefinitionAnswer {
  readonly itemCode: string;
  readonly version: number;
  readonly changed: boolean;
}

/** The item table as a decider: a valid definition is recorded, the same definition again records nothing. */
export const itemTableDecider: Decider<ItemCommand, ItemEvent, ItemTable, ItemDefinitionAnswer, ItemRefusal> = {
  initialState: initialItemTable,
  evolve: evolveItemTable,
  decide(command, table) {
    switch (command.type) {
      case 'DefineItem': {
        const checked = checkItem(command.data.definition);
        if (!checked.ok) {
          const fields = checked.problems.map((problem) => problem.field || 'body').join(', ');
          return refuse({ type: 'InvalidItem', message: `the item definition is invalid (${fields})`, problems: checked.problems });
        }
        const { item } = checked;
        const current = table.items.get(item.code);
        if (current && sameItem(current.item, item)) return accept([], { itemCode: item.code, version: current.version, changed: false });
        const version = (current?.version ?? 0) + 1;
        const data = itemDefinedData(item, version, command.data.occurredAt, command.data.definedBy);
        return accept([{ type: 'ItemDefined', data }], { itemCode: item.code, version, changed: true });
      }
      default: {
        const _exhaustive: never = command.type;
        throw new Error(`unknown item command ${String(_exhaustive)}`);
      }
    }
  },
};

/**
 * The commands that define the shipped items the table does not know yet.
 * Items the table has are left alone, so an operator's redefinition of a
 * shipped item survives every restart.
 */
export function defineShippedItems(table: ItemTable, items: readonly Item[], occurredAt: Date): ItemCommand[] {
  return items
    .filter((item) => !table.items.has(item.code))
    .map((definition) => ({ type: 'DefineItem', data: { definition, occurredAt, definedBy: 'catalogue' } }));
}
