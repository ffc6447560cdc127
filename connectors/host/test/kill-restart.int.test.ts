import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createLogger } from '@hub/runtime';
import { eventually, startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { DEAD_LETTER_TOPIC, LEDGER_TOPIC, dropFolderOf, recordEventId, type DeadLetter, type LedgerEntry } from '@hub/connector-core';
import { dropFile, readCommitted, residentColumns, residentRows, tally } from '@hub/connector-core/testing';
import { startCatalog } from '@hub/catalog/testing';

const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..');
const TOPIC = 'records.ps.resident-identity';
const ROWS = 10_000;
const BATCH = 250;

let catalog: Awaited<ReturnType<typeof startCatalog>>;
let dataDir: string;
let env: Record<string, string>;
const kafka = createKafka({ brokers: testBrokers(), clientId: 'host-kill-test', logger: createLogger('host-kill-test', 'warn') });

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: false });
  dataDir = join(repositoryRoot, '.hub', 'test', uniqueName('connector-host'));
  mkdirSync(dataDir, { recursive: true });
  env = {
    KAFKA_BROKERS: testBrokers(),
    SCHEMA_REGISTRY_URL: catalog.url,
    HUB_DATA_DIR: dataDir,
    CONNECTORS_MODULES: join(import.meta.dirname, 'fixtures', 'resident-connector.ts'),
    CONNECTORS_BATCH_SIZE: String(BATCH),
    CONNECTORS_POLL_INTERVAL_MS: '200',
    CONNECTORS_TRANSACTION_TIMEOUT_MS: '20000',
    LOG_LEVEL: 'debug',
  };
});
afterAll(async () => {
  await catalog?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/**
 * The host as `npm start` runs it, its log copied to `logFile`. It returns at
 * once: the tests follow the start in the log, and the drop folder is already
 * being read before /health answers.
 */
function startHostProcess(logFile: string): Promise<ServiceProcess> {
  return startServiceProcess({
    dir: 'connectors/host',
    name: 'the connector host',
    env,
    hostVariable: 'CONNECTORS_HOST',
    portVariable: 'CONNECTORS_PORT',
    logFile,
    waitUntilHealthy: false,
  });
}

describe('the connector host, killed with SIGKILL in the middle of a file', () => {
  const salt = uniqueName('kill');
  const { rows, bad } = residentRows(ROWS, salt);
  const folder = () => dropFolderOf(dataDir, 'ps', 'resident-identity');

  it('resumes after a restart, and every record is in Kafka exactly once', async () => {
    mkdirSync(join(folder(), 'inbox'), { recursive: true });
    const name = await dropFile(join(folder(), 'inbox'), 'rk-20250301', 'csv-gbk', rows, residentColumns);

    const first = await startHostProcess(join(dataDir, 'host-1.log'));
    const reached = await first.waitFor((l) => l.msg === 'batch published' && Number(l.rowReached) >= 2_500, 120_000, 'a quarter of the file');
    // A little later, so that the kill lands anywhere: mapping, encoding, or inside the next transaction.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 150)));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull(); // killed by the signal, no exit code
    expect(existsSync(join(folder(), 'inbox', name))).toBe(true);
    console.log(`killed with -9 shortly after row ${String(reached.rowReached)} of ${ROWS} had been committed`);

    const second = await startHostProcess(join(dataDir, 'host-2.log'));
    const resumed = await second.waitFor((l) => l.msg === 'resuming an interrupted file after the rows already published', 120_000, 'the resume');
    expect(Number(resumed.rowReached)).toBeGreaterThanOrEqual(Number(reached.rowReached));
    await eventually(() => (existsSync(join(folder(), 'done', name)) ? true : undefined), 120_000, 'the file to move to done/');
    const processed = await second.waitFor((l) => l.msg === 'file processed' || String(l.msg).startsWith('file processed'), 10_000, 'the summary');
    console.log(`restart resumed at row ${String(resumed.rowReached)}; it published ${String(processed.accepted)} and rejected ${String(processed.rejected)} more`);

    const health = await fetch(`${second.url}/health`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${second.url}/metrics`)).text();
    expect(metrics).toMatch(/connector_records_total\{[^}]*outcome="accepted"[^}]*\} \d+/);
    expect(metrics).toMatch(/connector_files_total\{[^}]*result="done"[^}]*\} 1/);
    const sources = (await (await fetch(`${second.url}/sources`)).json()) as { sources: Array<{ department: string; resource: string; mapped: boolean }> };
    expect(sources.sources).toContainEqual(expect.objectContaining({ kind: 'drop-folder', department: 'ps', resource: 'resident-identity', mapped: true }));
    expect(await second.stop()).toBe(0);

    // Every good record exactly once, every bad one exactly once in the DLQ.
    const badRows = new Set(bad.map((b) => b.row));
    const expected = new Set(rows.flatMap((row, i) => (badRows.has(i + 1) ? [] : [recordEventId('ps', 'resident-identity', String(row.GMSFHM), row)])));
    const counts = tally((await readCommitted(kafka, TOPIC)).map((m) => m.headers.ce_id!).filter((id) => expected.has(id)));
    expect(counts.size).toBe(expected.size);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    const letters = (await readCommitted(kafka, DEAD_LETTER_TOPIC))
      .map((m) => ({ id: m.headers.ce_id!, letter: JSON.parse(m.value!.toString()) as DeadLetter }))
      .filter(({ letter }) => letter.source.name === name && letter.connector === 'ps');
    expect(tally(letters.map((l) => l.id)).size).toBe(bad.length);
    expect(letters).toHaveLength(bad.length);
    expect(new Set(letters.map((l) => l.letter.source.row))).toEqual(badRows);

    // The committed ledger entries of the file account for each row once: no batch twice, none lost.
    const entries = (await readCommitted(kafka, LEDGER_TOPIC))
      .filter((m) => m.key === 'ps')
      .map((m) => JSON.parse(m.value!.toString()) as LedgerEntry)
      .filter((e) => e.file?.name === name);
    expect(entries.reduce((n, e) => n + e.eventIds.length + e.rejectionIds.length, 0)).toBe(ROWS);
    expect(entries.map((e) => e.file!.rowReached)).toEqual(Array.from({ length: ROWS / BATCH }, (_, i) => (i + 1) * BATCH));
    console.log(`${expected.size} records once in ${TOPIC}, ${bad.length} dead letters once, ${entries.length} committed batches`);
  });

  it('publishes nothing new when the same file is dropped again', async () => {
    const before = (await readCommitted(kafka, LEDGER_TOPIC)).filter((m) => m.key === 'ps').length;
    copyFileSync(join(folder(), 'done', 'rk-20250301.csv'), join(folder(), 'inbox', 'rk-20250301-again.csv'));
    const third = await startHostProcess(join(dataDir, 'host-3.log'));
    await third.waitFor((l) => String(l.msg).startsWith('file already published'), 120_000, 'the duplicate file to be recognised');
    await eventually(() => (existsSync(join(folder(), 'done', 'rk-20250301-again.csv')) ? true : undefined), 30_000, 'the copy to move to done/');
    expect(await third.stop()).toBe(0);
    expect((await readCommitted(kafka, LEDGER_TOPIC)).filter((m) => m.key === 'ps').length).toBe(before);
    expect(readdirSync(join(folder(), 'inbox'))).toEqual([]);
  });
});
