import { describe, expect, it } from 'vitest';
import { kept, publishedKey, report, tally, type Findings, type SentRecord } from './chaos-tally.ts';

const topic = 'records.ps.resident-identity';
const record = (chaosId: string, overrides: Partial<SentRecord> = {}): SentRecord => ({
  chaosId, channel: 'push', topic, key: `key-${chaosId}`, acknowledgement: 'acknowledged', ...overrides,
});
const findings = (published: Record<string, number>, deadLettered: Record<string, string[]> = {}): Findings => ({
  published: new Map(Object.entries(published).map(([key, n]) => [publishedKey(topic, key), n])),
  deadLettered: new Map(Object.entries(deadLettered)),
});

describe('the chaos reckoning', () => {
  it('given acknowledged records each on their topic once, when tallied, then all are found once and the run kept its promise', () => {
    const t = tally([record('a'), record('b', { channel: 'file' })], findings({ 'key-a': 1, 'key-b': 1 }));
    expect(t.byChannel.push).toMatchObject({ sent: 1, acknowledged: 1, foundOnce: 1, missing: 0, duplicated: 0 });
    expect(t.byChannel.file).toMatchObject({ acknowledged: 1, foundOnce: 1 });
    expect(t.total).toMatchObject({ sent: 2, foundOnce: 2 });
    expect(kept(t)).toBe(true);
  });

  it('given an acknowledged record not on its topic, then it is missing, named among the examples', () => {
    const t = tally([record('a'), record('b')], findings({ 'key-a': 1 }));
    expect(t.total).toMatchObject({ acknowledged: 2, foundOnce: 1, missing: 1 });
    expect(t.examples.missing.map((r) => r.chaosId)).toEqual(['b']);
    expect(kept(t)).toBe(false);
  });

  it('given a record published twice, then it is duplicated and not found once', () => {
    const t = tally([record('a')], findings({ 'key-a': 2 }));
    expect(t.total).toMatchObject({ foundOnce: 0, missing: 0, duplicated: 1 });
    expect(kept(t)).toBe(false);
  });

  it('given the same key on another topic, then it does not count for this one', () => {
    const t = tally([record('a', { topic: 'records.tax.taxpayer-registration' })], findings({ 'key-a': 1 }));
    expect(t.total.missing).toBe(1);
  });

  it('given rejected records, then each must be dead-lettered once with a reason and never published', () => {
    const sent = [
      record('ok', { acknowledgement: 'rejected', key: undefined }),
      record('lost', { acknowledgement: 'rejected' }),
      record('blank', { acknowledgement: 'rejected' }),
      record('twice', { acknowledgement: 'rejected' }),
      record('leaked', { acknowledgement: 'rejected' }),
    ];
    const t = tally(sent, findings({ 'key-leaked': 1 }, { ok: ['GMSFHM: check character should be 3, got 4'], blank: [' '], twice: ['CSRQ: no such day', 'CSRQ: no such day'], leaked: ['XB: unknown'] }));
    expect(t.total).toMatchObject({ rejected: 5, deadLettered: 3, deadLetterMissing: 2, publishedThoughRejected: 1, duplicated: 1 });
    expect(t.examples.deadLetterMissing.map((r) => r.chaosId)).toEqual(['lost', 'blank']);
    expect(kept(t)).toBe(false);
  });

  it('given unacknowledged records, then finding one in Kafka is no fault, finding one twice is', () => {
    const sent = [
      record('gone', { acknowledgement: 'unacknowledged' }),
      record('committed', { acknowledgement: 'unacknowledged' }),
      record('doubled', { acknowledgement: 'unacknowledged' }),
    ];
    const t = tally(sent, findings({ 'key-committed': 1, 'key-doubled': 2 }));
    expect(t.total).toMatchObject({ unacknowledged: 3, unacknowledgedFound: 2, missing: 0, duplicated: 1 });
    expect(kept(t)).toBe(false);
  });

  it('prints the kills, restarts and the figures per channel as a Markdown table', () => {
    const t = tally([record('a'), record('b', { channel: 'database', acknowledgement: 'rejected' })], findings({ 'key-a': 1 }, { b: ['XM: blank'] }));
    const printed = report({ minutes: 10, kills: { gateway: 2, router: 1 }, brokerKills: 1, restarts: 3, brokerRestarts: 1 }, t);
    expect(printed).toContain('chaos run of 10 min: 3 services killed with SIGKILL (gateway 2, router 1), 3 restarts reported; the broker killed 1 time, 1 broker restart');
    expect(printed).toContain('| found once | 1 | 0 | 0 | **1** |');
    expect(printed).toContain('| missing | 0 | 0 | 0 | **0** |');
    expect(printed).toContain('| rejected: in dlq.connectors with its reason | 0 | 0 | 1 | **1** |');
  });
});
