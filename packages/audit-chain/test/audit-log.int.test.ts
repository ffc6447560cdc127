import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createLogger, createTransactionalProducer, ensureTopics, readToEnd, type Kafka, type TransactionalProducer } from '@hub/runtime';
import { testBrokers, uniqueName } from '@hub/test-support';
import { entryHash, type ChainedEntry, type Checkpoint } from '../src/chain.ts';
import { runAuditCli } from '../src/cli.ts';
import { openExportFile, readExportFile } from '../src/export-file.ts';
import { sampleEntry } from '../src/fixtures.ts';
import { openSigningKey, type SigningKey } from '../src/keys.ts';
import { auditKafkaRecord, type LoggedRecord } from '../src/records.ts';
import { verifyChain } from '../src/verify.ts';
import { createAuditWriter, type AuditWriter } from '../src/writer.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const logger = createLogger('audit-chain-int', process.env.TEST_LOG_LEVEL ?? 'warn');
const topic = uniqueName('audit.exchange');
const deliveries = uniqueName('deliveries.audit');
const dataDir = mkdtempSync(join(tmpdir(), 'audit-int-data-'));
const workDir = mkdtempSync(join(tmpdir(), 'audit-int-files-'));
let kafka: Kafka;
let signingKey: SigningKey;
let writer: AuditWriter;
const producers: TransactionalProducer[] = [];
/** Deliveries committed beside their audit entries, per partition. */
const delivered = [0, 0, 0];
let n = 0;

/** One exchange step of the router, as its exactly-once processor runs it: the deliveries and their audit entries in one transaction. */
async function exchange(partition: number, count: number, options: { fail?: boolean } = {}): Promise<void> {
  const entries = Array.from({ length: count }, () => sampleEntry((n += 1)));
  const audit = writer.entries(partition, entries);
  const records = [
    { topic: deliveries, messages: entries.map((entry) => ({ partition, key: entry.key ?? null, value: JSON.stringify({ eventId: entry.eventId }) })) },
    audit,
    // A topic that does not exist makes the whole transaction fail, as a broker or a crash would.
    ...(options.fail ? [{ topic: uniqueName('audit.missing'), messages: [{ value: 'x' }] }] : []),
  ];
  try {
    await producers[partition]!.commit(records);
  } catch (error) {
    writer.aborted(partition);
    if (options.fail) return;
    throw error;
  }
  if (options.fail) throw new Error('the transaction meant to fail committed');
  writer.committed(partition);
  delivered[partition] = (delivered[partition] ?? 0) + count;
}

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runAuditCli([...argv, '--topic', topic, '--brokers', testBrokers(), '--data-dir', dataDir], {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    env: {},
    cwd: workDir,
    logger,
  });
  return { status, stdout, stderr };
}

async function exportFile(name: string, log: readonly LoggedRecord[]): Promise<string> {
  const file = join(workDir, name);
  const out = openExportFile(file);
  await out.write(log);
  await out.close();
  return file;
}

const inPartition = (log: readonly LoggedRecord[], partition: number) => log.filter((r) => r.partition === partition);
const entryIndex = (log: readonly LoggedRecord[], partition: number, seq: number) => log.findIndex((r) => r.partition === partition && 'entry' in r && r.entry.seq === seq);
const checkpointIndexes = (log: readonly LoggedRecord[], partition: number) => log.flatMap((r, i) => (r.partition === partition && 'checkpoint' in r ? [i] : []));

beforeAll(async () => {
  kafka = createKafka({ brokers: testBrokers(), clientId: 'audit-chain-int', logger });
  await ensureTopics(kafka, [{ topic: deliveries, partitions: 3 }]);
  signingKey = openSigningKey(dataDir);
  for (let p = 0; p < 3; p += 1) producers.push(createTransactionalProducer({ kafka, logger, transactionalId: uniqueName(`audit-int-${p}`) }));
});

afterAll(async () => {
  await Promise.all(producers.map((p) => p.disconnect()));
  for (const dir of [dataDir, workDir]) rmSync(dir, { recursive: true, force: true });
});

describe('the audit writer in the caller\'s Kafka transactions', () => {
  it('chains entries per partition, signs a checkpoint every N entries, and commits its head only with the transaction', async () => {
    writer = createAuditWriter({ kafka, logger, signingKey, source: '/hub/router', topic, checkpoints: { entries: 5, intervalMs: 3_600_000 } });
    await writer.start();
    expect(writer.partitions).toBe(3);
    for (let round = 0; round < 4; round += 1) {
      for (let p = 0; p < 3; p += 1) await exchange(p, 3);
    }
    const before = writer.head(1);
    await exchange(1, 4, { fail: true });
    expect(writer.head(1)).toEqual(before);
    // The batch comes again after the abort: the same head, so the same chain as if it had never failed.
    await exchange(1, 4);
    expect(writer.head(1)!.seq).toBe(before!.seq + 4);
    // A clean stop signs what is unsigned (partition 2 is left with an unsigned tail).
    for (const p of [0, 1]) {
      const records = writer.checkpoint(p);
      if (records.messages.length > 0) await producers[p]!.commit([records]);
      writer.committed(p);
    }
    expect(writer.head(0)).toMatchObject({ seq: 12 });
  });

  it('restores every partition\'s head from the topic\'s tail on start, and goes on where the last run stopped', async () => {
    const heads = [0, 1, 2].map((p) => writer.head(p));
    writer = createAuditWriter({ kafka, logger, signingKey, source: '/hub/router', topic, checkpoints: { entries: 5, intervalMs: 3_600_000 } });
    await writer.start();
    expect([0, 1, 2].map((p) => writer.head(p))).toEqual(heads);
    await exchange(2, 2);
    // A handover: the partition is read again, after the new owner fenced the old one.
    writer.revoked(2);
    expect(() => writer.entries(2, [sampleEntry(0)])).toThrow(/not held here/);
    await writer.restore(2);
    expect(writer.head(2)!.seq).toBe(heads[2]!.seq + 2);
    await exchange(2, 1);
  });

  it('signs a checkpoint once T has passed since the last one, with no new entries needed', async () => {
    let clock = Date.now();
    writer = createAuditWriter({ kafka, logger, signingKey, source: '/hub/router', topic, checkpoints: { entries: 1_000, intervalMs: 30_000 }, now: () => new Date(clock) });
    await writer.start();
    await exchange(0, 1);
    expect(writer.entries(0, []).messages).toEqual([]);
    clock += 30_000;
    const due = writer.entries(0, []);
    expect(due.messages.map((m) => JSON.parse(m.value as string).type)).toEqual(['AuditCheckpoint']);
    await producers[0]!.commit([due]);
    writer.committed(0);
    expect(writer.entries(0, []).messages).toEqual([]);
  });

  it('writes nothing an aborted transaction held: every delivery has its entry, and no more', async () => {
    const sent = await readToEnd(kafka, deliveries, { logger });
    expect([0, 1, 2].map((p) => sent.filter((r) => r.partition === p).length)).toEqual(delivered);
    expect([0, 1, 2].map((p) => writer.head(p)!.seq)).toEqual(delivered);
  });
});

describe('npm run audit -- export and verify', () => {
  let exported: LoggedRecord[];
  let cleanFile: string;

  it('exports the whole topic as JSON Lines with partition and offset, and verifies the topic and the export', async () => {
    const run = await cli('export', '--out', 'audit.jsonl');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const total = delivered.reduce((a, b) => a + b, 0);
    expect(run.stdout).toMatch(new RegExp(`^${topic.replace(/\./g, '\\.')}: exported \\d+ records \\(${total} entries, \\d+ checkpoints\\) of 3 partitions to ${join(workDir, 'audit.jsonl')}\\n$`));
    cleanFile = join(workDir, 'audit.jsonl');
    exported = await readExportFile(cleanFile);
    for (let p = 0; p < 3; p += 1) {
      const offsets = inPartition(exported, p).map((r) => BigInt(r.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(inPartition(exported, p).filter((r) => 'entry' in r).map((r) => (r as { entry: ChainedEntry }).entry.seq)).toEqual(Array.from({ length: delivered[p]! }, (_, i) => i + 1));
    }
    expect(verifyChain(exported, signingKey.publicKey).ok).toBe(true);

    const topicRun = await cli('verify');
    expect(topicRun.status).toBe(0);
    expect(topicRun.stdout).toContain(`${topic}: intact: ${total} entries`);
    expect(topicRun.stdout).toContain('3 partitions');
    const fileRun = await cli('verify', '--file', 'audit.jsonl');
    expect(fileRun.status).toBe(0);
    expect(fileRun.stdout).toMatch(/partition 2: \d+ entries .*; [1-9]\d* unsigned \(after the last checkpoint\)/);
  });

  it('fails on a tampered export, naming the partition and offset of each kind of tampering', async () => {
    const copy = () => structuredClone(exported) as LoggedRecord[];
    const entryAt = (log: LoggedRecord[], i: number) => (log[i] as { entry: ChainedEntry }).entry;
    const cases: Array<{ name: string; log: LoggedRecord[]; partition: number; offset: string; kind: string; anchor?: boolean }> = [];

    {
      const log = copy();
      const i = entryIndex(log, 1, 4);
      entryAt(log, i).entry.bytes += 1;
      cases.push({ name: 'altered', log, partition: 1, offset: log[i]!.offset, kind: 'altered' });
    }
    {
      const log = copy();
      const i = entryIndex(log, 1, 4);
      const next = log[entryIndex(log, 1, 5)]!.offset;
      log.splice(i, 1);
      cases.push({ name: 'removed', log, partition: 1, offset: next, kind: 'removed' });
    }
    {
      const log = copy();
      const i = entryIndex(log, 1, 4);
      const j = entryIndex(log, 1, 5);
      const [a, b] = [log[i]!, log[j]!];
      log[i] = { ...b, offset: a.offset };
      log[j] = { ...a, offset: b.offset };
      cases.push({ name: 'swapped', log, partition: 1, offset: a.offset, kind: 'reordered' });
    }
    {
      const log = copy();
      // After a transaction's last entry, where its commit marker took an offset.
      const i = log.findIndex((r, k) => r.partition === 1 && 'entry' in r && (() => {
        const next = log.slice(k + 1).find((s) => s.partition === 1);
        return next !== undefined && BigInt(next.offset) > BigInt(r.offset) + 1n;
      })());
      const offset = String(BigInt(log[i]!.offset) + 1n);
      log.splice(i + 1, 0, { partition: 1, offset, entry: structuredClone(entryAt(log, entryIndex(log, 1, 2))) });
      cases.push({ name: 'inserted', log, partition: 1, offset, kind: 'inserted' });
    }
    {
      const log = copy();
      const [previous, last] = checkpointIndexes(log, 0).slice(-2);
      const from = (log[previous!] as { checkpoint: Checkpoint }).checkpoint.seq;
      const cut = log.filter((r) => !(r.partition === 0 && 'entry' in r && r.entry.seq > from));
      cases.push({ name: 'tail-cut', log: cut, partition: 0, offset: log[last!]!.offset, kind: 'truncated' });
    }
    {
      // Partition 0 cut back to what it was at its last checkpoint but one: the last checkpoint is gone with the tail.
      const log = copy();
      const [previous] = checkpointIndexes(log, 0).slice(-2);
      const from = (log[previous!] as { checkpoint: Checkpoint }).checkpoint.seq;
      const cut = log.filter((r) => !(r.partition === 0 && (('entry' in r && r.entry.seq > from) || ('checkpoint' in r && r.checkpoint.seq > from))));
      cases.push({ name: 'tail-and-checkpoint-cut', log: cut, partition: 0, offset: log[previous!]!.offset, kind: 'truncated', anchor: true });
    }
    {
      const log = copy();
      const [first] = checkpointIndexes(log, 2);
      (log[first!] as { checkpoint: Checkpoint }).checkpoint.seq += 1;
      cases.push({ name: 'forged-checkpoint', log, partition: 2, offset: log[first!]!.offset, kind: 'forged-checkpoint' });
    }
    {
      // Altered with its hash recomputed: the next entry names another predecessor.
      const log = copy();
      const i = entryIndex(log, 2, 3);
      const entry = entryAt(log, i);
      entry.entry.maskedFields = [];
      entry.entry.who = 'land';
      entry.hash = entryHash(entry);
      cases.push({ name: 'altered-rehashed', log, partition: 2, offset: log[i]!.offset, kind: 'altered' });
    }

    for (const tamper of cases) {
      const file = await exportFile(`${tamper.name}.jsonl`, tamper.log);
      const run = await cli('verify', '--file', file, ...(tamper.anchor ? ['--anchor', 'audit.jsonl'] : []));
      expect(run.status, `${tamper.name}: ${run.stdout}${run.stderr}`).toBe(1);
      expect(run.stdout, tamper.name).toContain(`NOT intact: partition ${tamper.partition}, offset ${tamper.offset}: ${tamper.kind}:`);
    }
    // Without the earlier export, a tail cut with its checkpoint is a shorter, intact log.
    expect((await cli('verify', '--file', `${cases.find((c) => c.anchor)!.name}.jsonl`)).status).toBe(0);
  });

  it('runs as `npm run audit -- verify --file` from the repository root', async () => {
    const removed = structuredClone(exported) as LoggedRecord[];
    const i = entryIndex(removed, 0, 2);
    const next = removed[entryIndex(removed, 0, 3)]!.offset;
    removed.splice(i, 1);
    const tampered = await exportFile('child-removed.jsonl', removed);
    const env = { ...process.env, HUB_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    const clean = spawnSync('npm', ['run', '--silent', 'audit', '--', 'verify', '--file', cleanFile], { cwd: root, env, encoding: 'utf8' });
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(`${cleanFile}: intact:`);
    const bad = spawnSync('npm', ['run', '--silent', 'audit', '--', 'verify', '--file', tampered], { cwd: root, env, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain(`NOT intact: partition 0, offset ${next}: removed: seq 2 missing`);
  });

  it('fails on the topic itself when someone with write access appends a record', async () => {
    const copyOfTwo = exported.find((r) => r.partition === 2 && 'entry' in r && r.entry.seq === 2) as { entry: ChainedEntry };
    const intruder = createTransactionalProducer({ kafka, logger, transactionalId: uniqueName('audit-intruder') });
    const [sent] = await intruder.commit([{ topic, messages: [auditKafkaRecord({ type: 'AuditEntry', data: copyOfTwo.entry }, '/somebody')] }]);
    await intruder.disconnect();
    const run = await cli('verify');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`NOT intact: partition 2, offset ${sent!.baseOffset}: inserted:`);
  });
});
