import type { FieldError, NativeRecord } from '@hub/connector-core';

/** A pushed item that is not a record, with why; still published to the dead letters, never dropped. */
export class UnreadableItem {
  constructor(readonly text: string, readonly reason: string) {}
}

export interface ReadBatch {
  natives: NativeRecord[];
  /** Items that are not records, by index: the publisher dead-letters them with this reason. */
  readErrors: Map<number, FieldError[]>;
}

/**
 * Turns pushed JSON values into native records the way the drop folder reads
 * JSON Lines, so a push and a dropped file mean the same: an object is a
 * record (a nested value kept as its JSON text, for the mapping to judge); a
 * value that is not an object, or a line that is not JSON, is a rejected
 * record whose original is the text `{ line }`. One bad item never fails the
 * batch.
 */
export function readBatch(items: readonly unknown[]): ReadBatch {
  const natives: NativeRecord[] = [];
  const readErrors = new Map<number, FieldError[]>();
  items.forEach((item, index) => {
    if (item instanceof UnreadableItem) {
      readErrors.set(index, [{ field: '(record)', reason: item.reason }]);
      natives.push({ line: item.text });
    } else if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      readErrors.set(index, [{ field: '(record)', reason: `item ${index} is not a JSON object` }]);
      natives.push({ line: JSON.stringify(item) });
    } else {
      natives.push(flatten(item));
    }
  });
  return { natives, readErrors };
}

function flatten(value: object): NativeRecord {
  const record: NativeRecord = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === null || typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') record[key] = field;
    else if (field !== undefined) record[key] = JSON.stringify(field);
  }
  return record;
}
