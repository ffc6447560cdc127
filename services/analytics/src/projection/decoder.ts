import { EventCodecError, eventNameOf, readCloudEvent, schemaIdOf, type ConsumedRecord, type ReadEvent } from '@hub/runtime';
import { createAvroType } from '@hub/schemas';

/** The registry could not be asked (down, 5xx): the batch fails and is read again, nothing is dead-lettered for it. */
export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}

type AvroType = ReturnType<typeof createAvroType>;

/**
 * Reads hub events from their records as the runtime's EventCodec does (the
 * writer's schema by the id in the Confluent wire format, the hub's logical
 * types), but with each schema fetched and parsed once and every value
 * decoded synchronously: the registry client's own `decode` looks the schema
 * up per record, which held a rebuild to some 15,000 events/s.
 */
export interface WireDecoder {
  fromRecord(record: ConsumedRecord): Promise<ReadEvent>;
  /**
   * Only the value's data, for a record whose headers were read already:
   * synchronous once its schema has been fetched (a promise the first time),
   * so that a batch does not wait on a promise per record.
   */
  dataOf(record: ConsumedRecord): unknown;
}

export function createWireDecoder(options: { registryUrl: string; fetch?: typeof fetch }): WireDecoder {
  const fetchImpl = options.fetch ?? fetch;
  const url = new URL(options.registryUrl);
  // fetch refuses URLs with credentials: they go in the header.
  const authorization = url.username ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : undefined;
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/$/, '');
  const types = new Map<number, Promise<AvroType>>();
  /** The schemas fetched and parsed, for the synchronous path. */
  const ready = new Map<number, AvroType>();

  async function load(id: number): Promise<AvroType> {
    let response: Response;
    try {
      response = await fetchImpl(`${base}/schemas/ids/${id}`, { headers: { accept: 'application/vnd.schemaregistry.v1+json', ...(authorization ? { authorization } : {}) }, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new RegistryUnavailableError(`the registry at ${base} does not answer: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 404) throw new EventCodecError(`the registry has no schema ${id}`);
    if (!response.ok) throw new RegistryUnavailableError(`the registry answered ${response.status} for schema ${id}`);
    const { schema } = (await response.json()) as { schema: string };
    const type = createAvroType(JSON.parse(schema) as never);
    ready.set(id, type);
    return type;
  }

  const typeOf = (id: number): Promise<AvroType> => {
    let type = types.get(id);
    if (!type) {
      type = load(id);
      types.set(id, type);
      // Not remembered when the registry could not say: asked again with the batch.
      type.catch((error: unknown) => {
        if (error instanceof RegistryUnavailableError) types.delete(id);
      });
    }
    return type;
  };

  const at = (record: ConsumedRecord) => `${record.topic}[${record.partition}]@${record.offset}`;
  const idOf = (record: ConsumedRecord): number => {
    if (!record.value) throw new EventCodecError(`${at(record)}: the record has no value`);
    try {
      return schemaIdOf(record.value);
    } catch (error) {
      throw new EventCodecError(`${at(record)}: ${(error as Error).message}`);
    }
  };
  const decode = (record: ConsumedRecord, avro: AvroType, id: number): unknown => {
    try {
      return avro.fromBuffer(record.value!.subarray(5));
    } catch (error) {
      throw new EventCodecError(`${at(record)}: the value does not fit schema ${id}: ${(error as Error).message}`);
    }
  };

  return {
    dataOf(record) {
      const id = idOf(record);
      const avro = ready.get(id);
      return avro ? decode(record, avro, id) : typeOf(id).then((type) => decode(record, type, id));
    },
    async fromRecord(record) {
      const at = `${record.topic}[${record.partition}]@${record.offset}`;
      let ce;
      try {
        ce = readCloudEvent(record.headers);
      } catch (error) {
        throw new EventCodecError(`${at}: ${(error as Error).message}`);
      }
      const type = eventNameOf(ce.type);
      if (!type) throw new EventCodecError(`${at}: ce_type ${ce.type} is not an event type of the hub`);
      if (!record.value) throw new EventCodecError(`${at}: the record has no value`);
      let id: number;
      try {
        id = schemaIdOf(record.value);
      } catch (error) {
        throw new EventCodecError(`${at}: ${(error as Error).message}`);
      }
      const avro = await typeOf(id);
      let data: unknown;
      try {
        data = avro.fromBuffer(record.value.subarray(5));
      } catch (error) {
        throw new EventCodecError(`${at}: the value does not fit schema ${id}: ${(error as Error).message}`);
      }
      return { type, data, metadata: { ...ce, topic: record.topic, partition: record.partition, offset: record.offset, key: record.key?.toString() ?? null } } as ReadEvent;
    },
  };
}
