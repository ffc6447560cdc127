import type { IHeaders, KafkaMessage, Message, RecordMetadata, TopicMessages } from 'kafkajs';

/**
 * The Kafka client's types, named once here. Only `@hub/runtime` imports a
 * Kafka client (kafkajs 2.2.4); the rest of the hub imports these names, so a
 * change of client is made in this package.
 */
export type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';

/** A record to produce: key, value (Avro wire format or JSON text) and headers. */
export type OutgoingRecord = Message;
/** Records for one topic, as one produce call takes them. */
export type TopicRecords = TopicMessages;
/** Headers as the client reads and writes them. */
export type RecordHeaders = IHeaders;
/** A record as a consumer hands it over (offset as text, value as bytes). */
export type ConsumedMessage = KafkaMessage;
/** Where a produced record batch went. */
export type SentRecords = RecordMetadata;

/** A consumed record with where it was read. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaders;
  /** Broker or producer time, milliseconds since the epoch as text. */
  timestamp: string;
}

export function consumedRecord(topic: string, partition: number, message: ConsumedMessage): ConsumedRecord {
  return { topic, partition, offset: message.offset, key: message.key ?? null, value: message.value, headers: message.headers ?? {}, timestamp: message.timestamp };
}

/** The first value of a header, as text. */
export function headerText(headers: RecordHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

/** Every header as text (repeated headers joined by commas): for dead letters and tests. */
export function headersAsText(headers: RecordHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    text[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return text;
}

/** Bytes a record takes in a record batch, about (keys, values and headers counted; 70 bytes of framing). */
export function recordBytes(record: OutgoingRecord): number {
  let bytes = 70 + byteLength(record.key) + byteLength(record.value);
  const headers = record.headers;
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name];
    bytes += name.length;
    if (!Array.isArray(value)) bytes += byteLength(value);
    else for (const item of value as Array<string | Buffer>) bytes += byteLength(item);
  }
  return bytes;
}

function byteLength(value: string | Buffer | null | undefined): number {
  return value === null || value === undefined ? 0 : typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/**
 * Groups topic records into produce requests of at most `limitBytes`, keeping
 * their order. One produce request's records for a partition become one record
 * batch, which the broker refuses above `message.max.bytes` (1 MiB by default):
 * one request for a typical batch, and none near the limit however large the records.
 */
export function packRequests(groups: readonly TopicRecords[], limitBytes: number): TopicRecords[][] {
  const requests: TopicRecords[][] = [];
  let current: TopicRecords[] = [];
  let size = 0;
  for (const group of groups) {
    let open: TopicRecords | undefined;
    for (const message of group.messages) {
      const bytes = recordBytes(message);
      if (size > 0 && size + bytes > limitBytes) {
        requests.push(current);
        current = [];
        size = 0;
        open = undefined;
      }
      if (!open) {
        open = { topic: group.topic, messages: [] };
        current.push(open);
      }
      open.messages.push(message);
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
