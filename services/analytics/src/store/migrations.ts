import type { AnalyticsStore } from './store.ts';

/**
 * One step of the schema, applied once and in order. `statements` gets the
 * store so that table names are qualified with its database; each statement
 * is sent alone (a server takes one statement per request). Statements are
 * written to be harmless when repeated (`IF NOT EXISTS`), since ClickHouse
 * has no transaction to hold a migration and its record together: a start
 * cut off between the two applies the migration again.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The statements, made after looking at the store if the step needs to (a table already rebuilt by a start that was cut off). */
  statements(store: Pick<AnalyticsStore, 'database' | 'table' | 'query'>): string[] | Promise<string[]>;
}

/** The versions not applied yet, applied in order, each recorded in `schema_migrations` once it is through. */
export async function applyMigrations(store: AnalyticsStore, migrations: readonly Migration[]): Promise<number[]> {
  const versions = migrations.map((m) => m.version);
  if (versions.some((v, i) => !Number.isInteger(v) || v < 1 || (i > 0 && v <= versions[i - 1]!))) {
    throw new Error(`migration versions must be whole numbers from 1, ascending: ${versions.join(', ')}`);
  }
  await store.command(`CREATE TABLE IF NOT EXISTS ${store.table('schema_migrations')} (
    version UInt32,
    name String,
    appliedAt DateTime64(3, 'UTC')
  ) ENGINE = ReplacingMergeTree(appliedAt) ORDER BY version`);
  const done = new Set((await store.applied()).map((m) => Number(m.version)));
  const appliedNow: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    for (const statement of await migration.statements(store)) await store.command(statement);
    await store.insert('schema_migrations', [{ version: migration.version, name: migration.name, appliedAt: new Date().toISOString() }], `migration:${migration.version}`);
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
