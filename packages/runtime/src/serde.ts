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
    decode: (buffer) => registry.decode(buffer),
    schemaIdOf,
  };
}

export function schemaIdOf(buffer: Buffer): number {
  if (buffer.length < 5 || buffer[0] !== 0) throw new Error('not a Confluent wire-format message (magic byte 0 missing)');
  return buffer.readUInt32BE(1);
}
