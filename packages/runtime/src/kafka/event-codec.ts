import { eventType, eventTypes, loadSchema, subjectName, topicFor, type DepartmentCode, type EventName, type EventTypeMap } from '@hub/schemas';
import { remembered } from '../async/queues.ts';
import type { AvroSerde } from '../serde.ts';
import { cloudEventHeaders, readCloudEvent, type CloudEventAttributes } from './cloudevents.ts';
import type { ConsumedRecord, OutgoingRecord, TopicRecords } from './records.ts';

/** What travels beside an event's data in the CloudEvents headers, as the writer gives it. */
export interface EventMetadata {
  /** CloudEvents `source`: who says so, e.g. `/hub/router` or `/centres/450102-01`. */
  source: string;
  /** CloudEvents `subject`; the Kafka key when absent. */
  subject?: string;
  /** Ties the events of one case or one exchange together across departments. */
  correlationId?: string;
  /** The recipient, for events on per-department topics (`deliveries.<dept>`). */
  department?: DepartmentCode;
}

/** An event of `schemas/` as the hub's code handles it: `{ type, data, metadata }`. */
export type HubEvent<N extends EventName = EventName> = {
  [K in N]: { type: K; data: EventTypeMap[K]; metadata: EventMetadata };
}[N];

/** An event read back from Kafka: its CloudEvents attributes and where it was read. */
export type ReadEvent<N extends EventName = EventName> = {
  [K in N]: { type: K; data: EventTypeMap[K]; metadata: CloudEventAttributes & { topic: string; partition: number; offset: string; key: string | null } };
}[N];

export class EventCodecError extends Error {
  override name = 'EventCodecError';
}

const namesByFullName = new Map(eventTypes.map((t) => [t.fullName, t.name]));

/** The event type a CloudEvents `type` header names (an Avro full name), if the hub knows it. */
export function eventNameOf(fullName: string): EventName | undefined {
  return namesByFullName.get(fullName);
}

/** The Kafka key of an event: its key fields that have a value, joined by `:` (one case, one record, one partition). */
export function eventKey<N extends EventName>(type: N, data: EventTypeMap[N]): string {
  const values = eventType(type).keyFields
    .map((field) => (data as unknown as Record<string, unknown>)[field])
    .filter((value) => value !== null && value !== undefined);
  if (values.length === 0) throw new EventCodecError(`${type} has none of its key fields (${eventType(type).keyFields.join(', ')})`);
  return values.map(String).join(':');
}

/**
 * Kafka record ↔ `{ type, data, metadata }` for the event types of `schemas/`:
 * the value is Avro in the Confluent wire format (the schema registered under
 * `<topic>-<fullName>` once per topic), the CloudEvents attributes travel as
 * headers (`ce_id` = `data.eventId`, `ce_time` = `data.occurredAt`), the key
 * is the event type's key fields.
 */
export interface EventCodec {
  /** The topic and the record of an event. */
  toRecord<N extends EventName>(event: HubEvent<N>): Promise<{ topic: string; record: OutgoingRecord }>;
  /**
   * A synchronous `toRecord` for events of one type (to one department, for
   * the per-department topics), its schema registered once: for the many
   * events of a batch. Writes the same record `toRecord` writes.
   */
  encoderFor<N extends EventName>(type: N, department?: DepartmentCode): Promise<(data: EventTypeMap[N], metadata: Omit<EventMetadata, 'department'>) => { topic: string; record: OutgoingRecord }>;
  /** Events grouped by topic, in order, as a producer takes them. */
  toTopicRecords(events: readonly HubEvent[]): Promise<TopicRecords[]>;
  /** The event a record holds; throws `EventCodecError` for a record that is not a hub event. */
  fromRecord(record: ConsumedRecord): Promise<ReadEvent>;
}

export function createEventCodec(serde: AvroSerde): EventCodec {
  // One subject per event type per topic (TopicRecordNameStrategy); registered once.
  const encoderOf = remembered(async (subject: string, name: EventName) => serde.encoder(await serde.register(subject, loadSchema(name) as never)));

  type Encoder<N extends EventName> = (data: EventTypeMap[N], metadata: Omit<EventMetadata, 'department'>) => { topic: string; record: OutgoingRecord };
  const encoders = new Map<string, Promise<Encoder<EventName>>>();
  function encoderFor<N extends EventName>(type: N, department?: DepartmentCode): Promise<Encoder<N>> {
    const id = `${type}|${department ?? ''}`;
    let made = encoders.get(id);
    if (!made) {
      made = makeEncoder(type, department) as Promise<Encoder<EventName>>;
      encoders.set(id, made);
      made.catch(() => encoders.delete(id));
    }
    return made as unknown as Promise<Encoder<N>>;
  }

  async function makeEncoder<N extends EventName>(type: N, department?: DepartmentCode): Promise<Encoder<N>> {
    const topic = topicFor(type, department);
    const { fullName } = eventType(type);
    const encode = await encoderOf(subjectName(topic, fullName), type);
    return (value, metadata) => {
      const data = value as unknown as { eventId?: unknown; occurredAt?: unknown };
      if (typeof data.eventId !== 'string' || !(data.occurredAt instanceof Date)) throw new EventCodecError(`${type} needs eventId and occurredAt to be written as a hub event`);
      const key = eventKey(type, value);
      return {
        topic,
        record: {
          key,
          value: encode(value),
          headers: cloudEventHeaders({
            id: data.eventId,
            type: fullName,
            source: metadata.source,
            time: data.occurredAt,
            subject: metadata.subject ?? key,
            ...(metadata.correlationId === undefined ? {} : { correlationId: metadata.correlationId }),
          }),
        },
      };
    };
  }

  async function toRecord<N extends EventName>(event: HubEvent<N>): Promise<{ topic: string; record: OutgoingRecord }> {
    const { type, metadata } = event;
    const data = event.data as unknown as { eventId?: unknown; occurredAt?: unknown };
    if (typeof data.eventId !== 'string' || !(data.occurredAt instanceof Date)) throw new EventCodecError(`${type} needs eventId and occurredAt to be written as a hub event`);
    const { department, ...rest } = metadata;
    return (await encoderFor(type, department))(event.data, rest);
  }

  return {
    toRecord,
    encoderFor,
    async toTopicRecords(events) {
      const byTopic = new Map<string, OutgoingRecord[]>();
      for (const event of events) {
        const { topic, record } = await toRecord(event);
        let records = byTopic.get(topic);
        if (!records) byTopic.set(topic, (records = []));
        records.push(record);
      }
      return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    },
    async fromRecord(record) {
      let ce: CloudEventAttributes;
      try {
        ce = readCloudEvent(record.headers);
      } catch (error) {
        throw new EventCodecError(`${record.topic}[${record.partition}]@${record.offset}: ${(error as Error).message}`);
      }
      const type = eventNameOf(ce.type);
      if (!type) throw new EventCodecError(`${record.topic}[${record.partition}]@${record.offset}: ce_type ${ce.type} is not an event type of the hub`);
      if (!record.value) throw new EventCodecError(`${record.topic}[${record.partition}]@${record.offset}: the record has no value`);
      const data = await serde.decode(record.value);
      return {
        type,
        data,
        metadata: { ...ce, topic: record.topic, partition: record.partition, offset: record.offset, key: record.key?.toString() ?? null },
      } as ReadEvent;
    },
  };
}
