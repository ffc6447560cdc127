import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '@hub/test-support';
import {
  DEAD_LETTER_TOPIC,
  LEDGER_TOPIC,
  ledgerPath,
  PrecedingBatchFailedError,
  recordEventId,
  type DeadLetter,
  type LedgerEntry,
  type ResourceMapping,
} from '../src/index.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { readCommitted, tally } from './support/kafka.ts';
import { residentMapping, residentRows } from './support/resident-mapping.ts';

const TOPIC = 'records.ps.resident-identity';
const now = new Date('2025-03-01T08:00:00Z');
let h: Harness;

beforeAll(async () => {
  h = await startHarness('publisher-test');
});
afterAll(async () => {
  await h?.close();
});

const idsOf = (rows: ReturnType<typeof residentRows>['rows'], bad: Set<number>) =>
  rows.flatMap((row, i) => (bad.has(i + 1) ? [] : [recordEventId('ps', 'resident-identity', String(row.GMSFHM), row)]));

describe('the once-only record publisher', () => {
  it('publishes the good records, dead-letters the bad ones with every field, once', async () => {
    const connector = uniqueName('ps-pub');
    const { rows, bad } = residentRows(60, connector);
    const { publisher, close } = await h.open(connector);
    const source = { kind: 'http' as const, name: 'test-client' };
    const first = await publisher.publish(residentMapping, rows, source, now);
    expect(first.accepted).toBe(54);
    expect(first.duplicates).toBe(0);
    expect(first.rejected.map((r) => `${r.index}:${r.field}`)).toEqual(bad.flatMap((b) => b.fields.map((f) => `${b.row - 1}:${f}`)));

    const again = await publisher.publish(residentMapping, rows, source, now);
    expect(again).toEqual({ accepted: 0, duplicates: 54, rejected: first.rejected });
    await close();

    const expected = new Set(idsOf(rows, new Set(bad.map((b) => b.row))));
    const records = (await readCommitted(h.kafka, TOPIC)).filter((m) => expected.has(m.headers.ce_id!));
    const counts = tally(records.map((m) => m.headers.ce_id!));
    expect(counts.size).toBe(54);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const one = records[0]!;
    expect(one.headers).toMatchObject({ ce_type: 'gov.hub.records.ps.ResidentIdentity', ce_source: '/departments/ps/http', ce_specversion: '1.0' });
    expect(one.key).toBe(one.headers.ce_subject);
    const decoded = await h.serde.decode<{ eventId: string; idNumber: string; occurredAt: Date }>(one.value!);
    expect(decoded.eventId).toBe(one.headers.ce_id);
    expect(decoded.idNumber).toBe(one.key);
    expect(one.headers.ce_time).toBe(decoded.occurredAt.toISOString());

    const letters = (await readCommitted(h.kafka, DEAD_LETTER_TOPIC))
      .map((m) => ({ m, letter: JSON.parse(m.value!.toString()) as DeadLetter }))
      .filter(({ letter }) => letter.connector === connector);
    expect(letters).toHaveLength(bad.length);
    for (const expectedBad of bad) {
      const found = letters.find(({ letter }) => letter.source.row === expectedBad.row);
      expect(found?.letter.errors.map((e) => e.field)).toEqual(expectedBad.fields);
      expect(found?.letter.field).toBe(expectedBad.fields[0]);
      expect(found?.letter.original).toEqual(rows[expectedBad.row - 1]);
      expect(found?.m.key).toBe(expectedBad.key);
      expect(found?.m.headers.ce_type).toBe('gov.hub.connectors.RecordRejected');
    }

    const entries = (await readCommitted(h.kafka, LEDGER_TOPIC))
      .filter((m) => m.key === connector)
      .map((m) => JSON.parse(m.value!.toString()) as LedgerEntry);
    expect(entries).toHaveLength(1); // the second call found only duplicates: no transaction at all
    expect(new Set(entries[0]!.eventIds)).toEqual(expected);
    expect(entries[0]!.rejectionIds).toHaveLength(bad.length);
  });

  it('counts repeats within a batch as duplicates and splits a large call into bounded transactions', async () => {
    const connector = uniqueName('ps-split');
    const { rows } = residentRows(45, connector);
    const good = rows.filter((_, i) => i % 10 !== 9); // 41 good
    const { publisher, close } = await h.open(connector, { batchSize: 20 });
    const outcome = await publisher.publish(residentMapping, [...good, good[0]!, good[1]!], { kind: 'http', name: 't' }, now);
    expect(outcome).toEqual({ accepted: 41, duplicates: 2, rejected: [] });
    const bad = await publisher.publish(residentMapping, [good[2]!, { ...good[3]!, XB: '?' }], { kind: 'http', name: 't' }, now);
    expect(bad).toEqual({ accepted: 0, duplicates: 1, rejected: [{ index: 1, field: 'XB', reason: 'XB (性别) must be 男, 女, 1 or 2, got "?"' }] });
    await close();
    const entries = (await readCommitted(h.kafka, LEDGER_TOPIC)).filter((m) => m.key === connector);
    expect(entries.map((m) => (JSON.parse(m.value!.toString()) as LedgerEntry).eventIds.length)).toEqual([20, 20, 1, 0]);
  });

  it('prepares batches ahead of their transaction and still publishes each record once (in a worker thread too)', async () => {
    for (const prepareWorker of [false, true]) {
      const connector = uniqueName(prepareWorker ? 'ps-ahead-worker' : 'ps-ahead');
      const good = residentRows(100, connector).rows.filter((_, i) => i % 10 !== 9); // 90 good
      const { publisher, close } = await h.open(connector, { batchSize: 10, prepareWorker });
      // Five calls at once, each sharing half its records with the one before: every batch is
      // prepared while the one before it is still in its transaction, and de-duplicated after it.
      const outcomes = await Promise.all([0, 1, 2, 3, 4].map((k) => publisher.publish(residentMapping, good.slice(k * 15, k * 15 + 30), { kind: 'http', name: 't' }, now)));
      expect(outcomes.map((o) => [o.accepted, o.duplicates])).toEqual([[30, 0], [15, 15], [15, 15], [15, 15], [15, 15]]);

      // A batch that must follow a failed one is not published at all.
      const failed = Promise.reject(new Error('the batch before failed'));
      failed.catch(() => undefined);
      const after = residentRows(3, `${connector}-after`).rows;
      await expect(publisher.publish(residentMapping, after, { kind: 'http', name: 't' }, now, { after: failed })).rejects.toBeInstanceOf(PrecedingBatchFailedError);
      await close();

      const expected = new Set(idsOf(good, new Set()));
      const skipped = new Set(idsOf(after, new Set()));
      const messages = (await readCommitted(h.kafka, TOPIC)).filter((m) => expected.has(m.headers.ce_id!) || skipped.has(m.headers.ce_id!));
      const counts = tally(messages.map((m) => m.headers.ce_id!));
      const decoded = await h.serde.decode<{ eventId: string; idNumber: string }>(messages[0]!.value!);
      expect([decoded.eventId, decoded.idNumber]).toEqual([messages[0]!.headers.ce_id, messages[0]!.key]);
      expect(counts.size).toBe(90);
      expect([...counts.keys()].every((id) => expected.has(id))).toBe(true);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    }
  });

  it('lets pushes waiting together share a transaction, each de-duplicated against those before it', async () => {
    const connector = uniqueName('ps-group');
    const good = residentRows(100, connector).rows.filter((_, i) => i % 10 !== 9); // 90 good
    const { publisher, close } = await h.open(connector, { batchSize: 100 });
    const outcomes = await Promise.all([0, 1, 2, 3, 4].map((k) => publisher.publish(residentMapping, good.slice(k * 15, k * 15 + 30), { kind: 'http', name: 't' }, now)));
    expect(outcomes.map((o) => [o.accepted, o.duplicates])).toEqual([[30, 0], [15, 15], [15, 15], [15, 15], [15, 15]]);
    await close();
    const entries = (await readCommitted(h.kafka, LEDGER_TOPIC)).filter((m) => m.key === connector).map((m) => JSON.parse(m.value!.toString()) as LedgerEntry);
    expect(entries.length).toBeLessThan(5);
    expect(new Set(entries.flatMap((e) => e.eventIds))).toEqual(new Set(idsOf(good, new Set())));
    expect(entries.flatMap((e) => e.eventIds)).toHaveLength(90);
  });

  it('catches up from ledger.connectors after losing its local ledger (a crash between commit and local write)', async () => {
    const connector = uniqueName('ps-catchup');
    const { rows } = residentRows(30, connector);
    const first = await h.open(connector);
    expect((await first.publisher.publish(residentMapping, rows, { kind: 'http', name: 't' }, now)).accepted).toBe(27);
    await first.close();
    rmSync(dirname(ledgerPath(h.dataDir, connector, '0')), { recursive: true, force: true });

    const second = await h.open(connector);
    expect(second.ledger.publishedCount()).toBe(30); // 27 events and 3 rejections
    expect(await second.publisher.publish(residentMapping, rows, { kind: 'http', name: 't' }, now)).toMatchObject({ accepted: 0, duplicates: 27 });
    await second.close();

    // A second instance of the same connector learns from the tail what the first publishes.
    const a = await h.open(connector, { instanceId: 'a' });
    const b = await h.open(connector, { instanceId: 'b' });
    const more = residentRows(5, `${connector}-more`).rows;
    expect((await a.publisher.publish(residentMapping, more, { kind: 'http', name: 't' }, now)).accepted).toBe(5);
    const ids = more.map((row) => recordEventId('ps', 'resident-identity', String(row.GMSFHM), row));
    await expect.poll(() => b.ledger.known(ids).size, { timeout: 20_000 }).toBe(5);
    expect(await b.publisher.publish(residentMapping, more, { kind: 'http', name: 't' }, now)).toMatchObject({ accepted: 0, duplicates: 5 });
    await a.close();
    await b.close();
  });

  it('dead-letters a mapped record that does not fit the Avro schema, saying it is a mapping defect', async () => {
    const connector = uniqueName('ps-avro');
    const broken: ResourceMapping = {
      ...residentMapping,
      map: (native, context) => {
        const result = residentMapping.map(native, context);
        return result.ok ? { ok: true, record: { ...result.record, sex: 'NOT-A-SYMBOL' } } : result;
      },
    };
    const { rows } = residentRows(3, connector);
    const { publisher, close } = await h.open(connector);
    const outcome = await publisher.publish(broken, rows, { kind: 'http', name: 't' }, now);
    expect(outcome.accepted).toBe(0);
    expect(outcome.rejected).toHaveLength(3);
    expect(outcome.rejected[0]).toMatchObject({ index: 0, field: '(record)' });
    expect(outcome.rejected[0]!.reason).toMatch(/does not fit the Avro schema gov\.hub\.records\.ps\.ResidentIdentity \(a mapping defect/);
    await close();
    const letters = (await readCommitted(h.kafka, DEAD_LETTER_TOPIC)).filter((m) => (JSON.parse(m.value!.toString()) as DeadLetter).connector === connector);
    expect(letters).toHaveLength(3);
  });
});
