/**
 * The router's record store (数据资源库): the latest record of every key of
 * every streamed resource (`records.*`), kept on disk so that a million keys
 * do not need a million objects in the heap, and rebuilt from Kafka (from
 * where it left off, or from the beginning when its file is gone).
 * Data requests are answered from it, and a new agreement's snapshot reads it.
 */
export interface StoredRecord {
  /** The records topic, `records.<dept>.<resource>`. */
  topic: string;
  partition: number;
  offset: string;
  /** The Kafka key: the resource's key fields joined by `:` (`eventKey` of @hub/runtime). */
  key: string;
  /** The Kafka timestamp (ms): when the record reached the hub. */
  timestamp: number;
  /** The Kafka value as written: Confluent wire format (magic byte, schema id, Avro binary). */
  value: Buffer;
}

export interface RecordStore {
  /** The latest record of a key of a topic, if the hub has one. */
  latest(topic: string, key: string): StoredRecord | undefined;
  /** Up to `limit` records of a topic in key order, after `afterKey` (null: from the first key). */
  scan(topic: string, afterKey: string | null, limit: number): StoredRecord[];
  /** Resolves once the store has read every records topic up to its end as measured now. */
  catchUp(timeoutMs?: number): Promise<void>;
}
