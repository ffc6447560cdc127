import type { Type } from 'avsc';

export type Compatibility = { compatible: true } | { compatible: false; reason: string };

/**
 * Whether data written with `writer` can be read with `reader` (Avro schema
 * resolution). BACKWARD compatibility of a new version = `canRead(new, previous)`.
 */
export function canRead(reader: Type, writer: Type): Compatibility {
  try {
    reader.createResolver(writer);
    return { compatible: true };
  } catch (error) {
    return { compatible: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
