import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createLogger } from '@hub/runtime';
import { eventually, testBrokers, uniqueName } from '@hub/test-support';
import { DEAD_LETTER_TOPIC, dropFolderOf, recordEventId, type DeadLetter, type NativeRecord } from '@hub/connector-core';
import { readCommitted, tally } from '@hub/connector-core/testing';
import { startCatalog } from '@hub/catalog/testing';
import { psConnector, residentIdentity } from '@hub/connector-ps';
import { beijingDate, mulberry32, resourceSimulator, simulateRecords, simulatedRegion, writeDropFile } from '@hub/simulators';
import { buildApp } from '../src/app.ts';
import { loadHostConfig } from '../src/config.ts';

/**
 * The real public-security connector and its department simulator through the
 * host, in-process: a GBK export of 10,000 resident records, one in ten spoilt
 * the ways real data is.
 */
const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..');
const ROWS = 10_000;
let catalog: Awaited<ReturnType<typeof startCatalog>>;
let app: FastifyInstance;
let dataDir: string;
const kafka = createKafka({ brokers: testBrokers(), clientId: 'host-ps-test', logger: createLogger('host-ps-test', 'warn') });

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: false });
  dataDir = join(repositoryRoot, '.hub', 'test', uniqueName('connector-host-ps'));
  mkdirSync(dataDir, { recursive: true });
  const config = loadHostConfig({
    KAFKA_BROKERS: testBrokers(),
    SCHEMA_REGISTRY_URL: catalog.url,
    HUB_DATA_DIR: dataDir,
    CONNECTORS_INSTANCE_ID: uniqueName('ps-test'),
    CONNECTORS_POLL_INTERVAL_MS: '200',
    LOG_LEVEL: 'warn',
  });
  app = await buildApp(config, { connectors: [psConnector], logger: createLogger('connector-host', 'warn') });
});
afterAll(async () => {
  await app?.close();
  await catalog?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('a public-security export through the connector host', () => {
  it('publishes each good record once and dead-letters each spoilt one, naming the spoilt column', async () => {
    const now = new Date();
    const seed = Date.now() % 2 ** 31; // a new export each run; the seed is printed to replay one
    const random = mulberry32(seed);
    const context = { region: simulatedRegion(random), now, today: beijingDate(now) };
    const simulator = resourceSimulator('ps.resident-identity');
    const records = [...simulateRecords(simulator, random, context, { count: ROWS, badShare: 0.1 })];
    const columns = residentIdentity.nativeColumns;
    const inbox = join(dropFolderOf(dataDir, 'ps', 'resident-identity'), 'inbox');
    mkdirSync(inbox, { recursive: true });
    const name = `${uniqueName('rk')}.csv`;
    await writeDropFile(join(inbox, `${name}.part`), records.map((r) => r.native), { format: 'csv', encoding: 'gbk', columns });
    renameSync(join(inbox, `${name}.part`), join(inbox, name));
    await eventually(() => (existsSync(join(dropFolderOf(dataDir, 'ps', 'resident-identity'), 'done', name)) ? true : undefined), 120_000, 'the file to be done');

    // What the connector read: every column as text, blanks as ''.
    const asRead = (native: NativeRecord): NativeRecord => Object.fromEntries(columns.map((c) => [c, native[c] === undefined || native[c] === null ? '' : String(native[c])]));
    const good = records.filter((r) => r.defect === undefined).map((r) => asRead(r.native));
    const bad = records.flatMap((r, i) => (r.defect === undefined ? [] : [{ row: i + 1, field: r.defect.field, description: r.defect.description }]));
    const expected = new Set(good.map((native) => recordEventId('ps', 'resident-identity', residentIdentity.naturalKey(native) ?? '', native)));
    const counts = tally((await readCommitted(kafka, 'records.ps.resident-identity')).map((m) => m.headers.ce_id!).filter((id) => expected.has(id)));
    const letters = (await readCommitted(kafka, DEAD_LETTER_TOPIC))
      .map((m) => JSON.parse(m.value!.toString()) as DeadLetter)
      .filter((letter) => letter.source.name === name);
    const missed = bad.filter((b) => !letters.some((l) => l.source.row === b.row && l.errors.some((e) => e.field === b.field)));
    const goodRejected = letters.filter((l) => !bad.some((b) => b.row === l.source.row));
    console.log(`ps export (seed ${seed}): ${ROWS} rows, ${expected.size} good records published (${counts.size} found once), ${letters.length} dead letters for ${bad.length} spoilt rows`);
    expect(goodRejected.map((l) => `row ${l.source.row}: ${l.field}: ${l.reason}`).slice(0, 5)).toEqual([]);
    expect(missed.slice(0, 5)).toEqual([]);
    expect(counts.size).toBe(expected.size);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(letters).toHaveLength(bad.length);
  });
});
