import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client';
import { SerialQueue } from '@hub/runtime';
import { applyMigrations, type Migration } from './migrations.ts';
import { migrations as projectionMigrations } from './schema.ts';
import { tabSeparated } from './tab-separated.ts';

/**
 * The projection's store: ClickHouse through `@clickhouse/client`, either the
 * engine in this process (chDB, the client's `connection` option) or a
 * server. Everything the service reads and writes goes through this port, so
 * the contract suite (`test/store.contract.int.test.ts`) checks both adapters
 * with the same cases.
 */
export interface AnalyticsStore {
  /** `chdb` (embedded) or `server`. */
  readonly kind: StoreKind;
  readonly database: string;
  /** Where the data is: the chDB folder, or the server's URL without credentials. */
  readonly location: string;
  /** A table's qualified name, `db`.`name`. */
  table(name: string): string;
  /** DDL and other statements without a result; `{name:Type}` parameters are bound by the engine. */
  command(sql: string, params?: Record<string, unknown>): Promise<void>;
  /** Rows of a SELECT as objects (64-bit integers as numbers). */
  query<T extends object>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
  /**
   * Rows into a table in one insert (TabSeparated, the columns the first
   * row's keys: every row has the same), deduplicated by the token:
   * the same token again (within the tables' deduplication window) writes
   * nothing. Inserts run one at a time, in the order they were asked for.
   */
  insert(table: string, rows: readonly object[], deduplicationToken: string): Promise<void>;
  /** The migrations applied, in order. */
  applied(): Promise<Array<{ version: number; name: string }>>;
  close(): Promise<void>;
}

export type StoreKind = 'chdb' | 'server';

export interface StoreOptions {
  /** A ClickHouse server (`http://user:password@host:8123`); empty or absent: chDB in `dataDir`. */
  url?: string;
  /** The chDB data folder (one per process: libchdb binds one). */
  dataDir?: string;
  database: string;
  /** Migrations to apply at open; the projection's by default. */
  migrations?: readonly Migration[];
}

export class StoreError extends Error {
  override name = 'StoreError';
}

// chDB answers 64-bit integers unquoted already; a server quotes them unless told not to. FINAL merges each
// partition alone: every version of a key is in one partition (the schema's `monthlyTables`), and a month of
// one part is read without a merge at all.
const readSettings: ClickHouseSettings = { output_format_json_quote_64bit_integers: 0, date_time_output_format: 'iso', do_not_merge_across_partitions_select_final: 1 };

/** Opens the store and brings its schema up to date (the migrations not applied yet, in order). */
export async function openStore(options: StoreOptions): Promise<AnalyticsStore> {
  const { database } = options;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new StoreError(`database name ${JSON.stringify(database)} is not an identifier`);
  const kind: StoreKind = options.url ? 'server' : 'chdb';
  let client: ClickHouseClient;
  let location: string;
  /** chDB's own insert: the text handed to the engine's parser as it is, not copied into the SQL of the statement. */
  let rawInsert: ((params: { table: string; columns: string[]; values: string; format: 'TabSeparated'; settings: Record<string, string | number> }) => Promise<unknown>) | undefined;
  if (kind === 'server') {
    const url = new URL(options.url!);
    location = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
    client = createClient({ url: options.url!, request_timeout: 120_000, clickhouse_settings: { wait_end_of_query: 1 } });
    const ping = await client.ping();
    if (!ping.success) {
      await client.close();
      throw new StoreError(`the ClickHouse server at ${location} does not answer: ${ping.error.message}`);
    }
  } else {
    if (!options.dataDir) throw new StoreError('chDB needs a data folder');
    mkdirSync(options.dataDir, { recursive: true });
    location = options.dataDir;
    // Loaded only when used: a deployment on a server never loads the engine's 500 MB library.
    const { createChdbConnection } = await import('chdb/connection');
    const connection = createChdbConnection({ path: options.dataDir });
    rawInsert = (params) => connection.chdb.rawInsert(params);
    client = createClient({ connection: connection as never });
  }

  const writes = new SerialQueue();
  const qualified = (name: string) => `\`${database}\`.\`${name}\``;
  const store: AnalyticsStore = {
    kind,
    database,
    location,
    table: qualified,
    async command(sql, params) {
      await client.command({ query: sql, ...(params ? { query_params: params } : {}) });
    },
    async query<T extends object>(sql: string, params?: Record<string, unknown>) {
      const result = await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: readSettings, ...(params ? { query_params: params } : {}) });
      return result.json<T>();
    },
    insert(table, rows, deduplicationToken) {
      if (rows.length === 0) return Promise.resolve();
      const { columns, text } = tabSeparated(rows);
      // Every insert names its token: on chDB settings given to the client stay on the session, so one without would inherit the last.
      // A batch that spans more than ClickHouse's 100 partitions (months) is still one insert: refused, it would be read again and refused for ever.
      const settings = { insert_deduplication_token: deduplicationToken, insert_deduplicate: 1, date_time_input_format: 'best_effort', max_partitions_per_insert_block: '0' } as const;
      return writes.run(async () => {
        if (rawInsert) await rawInsert({ table: `${database}.${table}`, columns, values: text, format: 'TabSeparated', settings });
        else await client.insert({ table: qualified(table), columns: columns as [string, ...string[]], values: Readable.from([text]), format: 'TabSeparated', clickhouse_settings: settings });
      });
    },
    async applied() {
      return store.query<{ version: number; name: string }>(`SELECT version, argMax(name, appliedAt) AS name FROM ${qualified('schema_migrations')} GROUP BY version ORDER BY version`);
    },
    async close() {
      await writes.drained();
      await client.close();
    },
  };

  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS \`${database}\`` });
    await applyMigrations(store, options.migrations ?? projectionMigrations);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return store;
}
