import type { ConsumedRecord, Kafka, Logger } from '@hub/runtime';
import { TopicPositions, type RouterDatabase } from './database.ts';
import { createFollower, type Follower } from './follower.ts';
import type { RecordStore, StoredRecord } from './record-store.ts';

interface Row {
  partition: number;
  offset: bigint;
  key: string;
  timestamp: number;
  value: Buffer;
}

/**
 * The record store's table: (topic, key) → the latest record, its value as
 * written (Confluent wire format). Topics get a small integer id, so a million
 * keys carry no million copies of their topic's name. Nothing is held in the
 * heap per key: every look-up is a prepared statement on the file.
 */
export class SqliteRecords {
  private readonly statements;
  private readonly topicIds = new Map<string, number>();

  constructor(db: RouterDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS record_topics (id INTEGER PRIMARY KEY, topic TEXT NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS records (
        topic_id INTEGER NOT NULL, key TEXT NOT NULL,
        partition INTEGER NOT NULL, offset INTEGER NOT NULL, timestamp INTEGER NOT NULL, value BLOB NOT NULL,
        PRIMARY KEY (topic_id, key)
      ) WITHOUT ROWID;
    `);
    this.statements = {
      topicId: db.prepare<[string], { id: number }>('SELECT id FROM record_topics WHERE topic = ?'),
      addTopic: db.prepare<[string]>('INSERT OR IGNORE INTO record_topics (topic) VALUES (?)'),
      // A record older than the one held (a batch read again) does not replace it.
      upsert: db.prepare<[number, string, number, bigint, number, Buffer]>(`
        INSERT INTO records (topic_id, key, partition, offset, timestamp, value) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (topic_id, key) DO UPDATE SET
          partition = excluded.partition, offset = excluded.offset, timestamp = excluded.timestamp, value = excluded.value
        WHERE excluded.partition <> records.partition OR excluded.offset > records.offset`),
      remove: db.prepare<[number, string, bigint]>('DELETE FROM records WHERE topic_id = ? AND key = ? AND offset < ?'),
      latest: db.prepare<[number, string], Row>('SELECT partition, offset, key, timestamp, value FROM records WHERE topic_id = ? AND key = ?').safeIntegers(true),
      scan: db.prepare<[number, string, number], Row>('SELECT partition, offset, key, timestamp, value FROM records WHERE topic_id = ? AND key > ? ORDER BY key LIMIT ?').safeIntegers(true),
      count: db.prepare<[number], { n: bigint }>('SELECT count(*) AS n FROM records WHERE topic_id = ?').safeIntegers(true),
      forget: db.prepare<[number]>('DELETE FROM records WHERE topic_id = ?'),
    };
  }

  private idOf(topic: string, create: boolean): number | undefined {
    let id = this.topicIds.get(topic);
    if (id !== undefined) return id;
    if (create) this.statements.addTopic.run(topic);
    id = this.statements.topicId.get(topic)?.id;
    if (id !== undefined) this.topicIds.set(topic, id);
    return id;
  }

  /** One batch of one partition: each keyed record replaces its key's, a tombstone (null value) removes it. */
  apply(topic: string, partition: number, records: readonly ConsumedRecord[]): void {
    const id = this.idOf(topic, true)!;
    for (const record of records) {
      if (record.key === null) continue;
      const key = record.key.toString();
      const offset = BigInt(record.offset);
      if (record.value === null) this.statements.remove.run(id, key, offset);
      else this.statements.upsert.run(id, key, partition, offset, Number(record.timestamp), record.value);
    }
  }

  latest(topic: string, key: string): StoredRecord | undefined {
    const id = this.idOf(topic, false);
    if (id === undefined) return undefined;
    const row = this.statements.latest.get(id, key);
    return row && stored(topic, row);
  }

  scan(topic: string, afterKey: string | null, limit: number): StoredRecord[] {
    const id = this.idOf(topic, false);
    if (id === undefined) return [];
    // '' sorts before every key (keys are never empty: eventKey joins at least one value).
    return this.statements.scan.all(id, afterKey ?? '', limit).map((row) => stored(topic, row));
  }

  count(topic: string): number {
    const id = this.idOf(topic, false);
    return id === undefined ? 0 : Number(this.statements.count.get(id)?.n ?? 0n);
  }

  forget(topic: string): void {
    const id = this.idOf(topic, false);
    if (id !== undefined) this.statements.forget.run(id);
  }
}

function stored(topic: string, row: Row): StoredRecord {
  return { topic, partition: Number(row.partition), offset: row.offset.toString(), key: row.key, timestamp: Number(row.timestamp), value: row.value };
}

export interface RecordStoreOptions {
  kafka: Kafka;
  logger: Logger;
  db: RouterDatabase;
  /** The records topics to follow: every `records.*` topic of the hub (`recordTopics()`). */
  topics: readonly string[];
}

/** The record store with its follower: started, caught up, closed. */
export interface FollowedRecordStore extends RecordStore {
  /** Reads every records topic from where the file left off to its end; resolves at the first catch-up. */
  start(): Promise<void>;
  readonly caughtUp: boolean;
  readonly failure: Error | undefined;
  /** Records applied since the start (a restart that resumes reads only what came after). */
  readonly applied: number;
  /** Keys held for a topic. */
  count(topic: string): number;
  close(): Promise<void>;
}

/**
 * The router's record store (数据资源库): the latest record by key of every
 * streamed resource, in the router's SQLite file, followed from the records
 * topics from where the file left off (or from the beginning, for a new file).
 */
export function createRecordStore(options: RecordStoreOptions): FollowedRecordStore {
  const records = new SqliteRecords(options.db);
  const follower: Follower = createFollower({
    kafka: options.kafka,
    logger: options.logger.child({ component: 'record-store' }),
    topics: options.topics,
    groupPrefix: 'hub-router-records',
    positions: new TopicPositions(options.db),
    apply: (topic, partition, batch) => records.apply(topic, partition, batch),
    forget: (topic) => records.forget(topic),
  });
  return {
    latest: (topic, key) => records.latest(topic, key),
    scan: (topic, afterKey, limit) => records.scan(topic, afterKey, limit),
    count: (topic) => records.count(topic),
    catchUp: (timeoutMs) => follower.catchUp(timeoutMs),
    start: () => follower.start(),
    get caughtUp() {
      return follower.caughtUp;
    },
    get failure() {
      return follower.failure;
    },
    get applied() {
      return follower.applied;
    },
    close: () => follower.close(),
  };
}
