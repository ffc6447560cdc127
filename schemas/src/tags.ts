import type { EventName } from '../generated/types.ts';
import { loadSchema } from './load.ts';
import type { AvroTypeJson, ComplexTypeJson, SensitiveTag } from './schema-json.ts';

export interface SensitiveField {
  /** Dotted path from the event root; `[]` marks array items, e.g. `rightsHolders[].idNumber`. */
  path: string;
  tags: readonly SensitiveTag[];
}

/** Fields carrying `confluent:tags`, which drive masking (脱敏) in the catalogue and deliveries. */
export function sensitiveFields(name: EventName): SensitiveField[] {
  const found: SensitiveField[] = [];
  const named = new Map<string, ComplexTypeJson>();

  const visit = (type: AvroTypeJson, path: string): void => {
    if (Array.isArray(type)) {
      for (const branch of type) visit(branch, path);
      return;
    }
    if (typeof type === 'string') {
      const reference = named.get(type);
      if (reference) visitRecordFields(reference, path);
      return;
    }
    if (type.name) named.set(type.name, type);
    if (type.type === 'record') visitRecordFields(type, path);
    if (type.type === 'array' && type.items !== undefined) visit(type.items, `${path}[]`);
    if (type.type === 'map' && type.values !== undefined) visit(type.values, `${path}{}`);
  };

  const visitRecordFields = (record: ComplexTypeJson, path: string): void => {
    for (const field of record.fields ?? []) {
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      const tags = field['confluent:tags'];
      if (tags && tags.length > 0) found.push({ path: fieldPath, tags });
      visit(field.type, fieldPath);
    }
  };

  visit(loadSchema(name), '');
  return found;
}
