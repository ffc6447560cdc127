import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { Schema as AvroSchemaDefinition } from 'avsc';
import type { types } from 'avsc';

/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary), with schemas registered in and fetched from a
 * Confluent-compatible registry (the hub's catalog, or any other).
 * The hub's logical types (timestamp-millis as Date, decimals as exact text)
 * are passed in by the caller, so this package stays independent of schemas/.
 */
export interface AvroSerde {
  /** Registers (or finds) the schema under the subject and returns its global id. */
  register(subject: string, schema: AvroSchemaDefinition): Promise<number>;
  encode(schemaId: number, value: unknown): Promise<Buffer>;
  /**
   * A synchronous `encode` for one schema id, the schema fetched once: for
   * encoding many records. Writes the same bytes; a value the schema refuses
   * throws an error whose `paths` name the invalid fields, as `encode` does.
   */
  encoder(schemaId: number): Promise<(value: unknown) => Buffer>;
  decode<T = unknown>(buffer: Buffer): Promise<T>;
  /** The schema id a wire-format message was written with. */
  schemaIdOf(buffer: Buffer): number;
}

export type LogicalTypes = Record<string, new (schema: never, opts?: never) => types.LogicalType>;

export function createAvroSerde(options: { registryUrl: string; logicalTypes?: Record<string, unknown>; clientId?: string }): AvroSerde {
  const registry = new SchemaRegistry(
    { host: options.registryUrl, clientId: options.clientId ?? 'hub', retry: { retries: 3 } },
    { [SchemaType.AVRO]: { logicalTypes: options.logicalTypes as never } },
  );
  return {
    async register(subject, schema) {
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject },
      );
      return id;
    },
    encode: (schemaId, value) => registry.encode(schemaId, value),
    async encoder(schemaId) {
      return wireEncoder((await registry.getSchema(schemaId)) as unknown as AvroType, schemaId);
    },
    decode: (buffer) => registry.decode(buffer),
    schemaIdOf,
  };
}

export function schemaIdOf(buffer: Buffer): number {
  if (buffer.length < 5 || buffer[0] !== 0) throw new Error('not a Confluent wire-format message (magic byte 0 missing)');
  return buffer.readUInt32BE(1);
}

/** What `wireEncoder` needs of an avsc type. */
export interface AvroType {
  encode(value: unknown, buffer: Buffer, position: number): number;
  isValid(value: unknown, options: { errorHook: (path: string[]) => void }): boolean;
}

/**
 * Encodes values of one avsc type in the registry's wire format (magic byte 0,
 * 4-byte schema id, Avro binary), each written into one scratch buffer and
 * copied out once. A value the type refuses throws an error whose `paths`
 * name the invalid fields.
 */
export function wireEncoder(type: AvroType, schemaId: number): (value: unknown) => Buffer {
  if (typeof type?.encode !== 'function') throw new Error(`schema ${schemaId} is not an Avro schema`);
  const scratchOf = (size: number): Buffer => {
    const buffer = Buffer.allocUnsafe(size);
    buffer[0] = 0; // magic byte
    buffer.writeInt32BE(schemaId, 1);
    return buffer;
  };
  let scratch = scratchOf(16 * 1024);
  return (value) => {
    let end: number;
    try {
      end = type.encode(value, scratch, 5);
      while (end < 0) {
        // Too small: avsc answers the buffer's length minus the length it needs.
        scratch = scratchOf(Math.max(scratch.length * 2, scratch.length - end));
        end = type.encode(value, scratch, 5);
      }
    } catch (error) {
      const paths: string[][] = [];
      type.isValid(value, { errorHook: (path) => paths.push(path) });
      throw Object.assign(new Error(`value does not fit Avro schema ${schemaId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error }), { paths });
    }
    return Buffer.from(scratch.subarray(0, end));
  };
}
