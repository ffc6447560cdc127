import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConsumedRecord } from '@hub/runtime';
import { checkpointEvery, openRouterDatabase, TopicPositions } from './database.ts';
import { RequestStore } from './request-store.ts';
import { SqliteRecords } from './sqlite-record-store.ts';

const TOPIC = 'records.ps.resident-identity';
const dirs: string[] = [];
const fileIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'router-store-'));
  dirs.push(dir);
  return join(dir, 'router', 'router-1', 'records.sqlite');
};
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const record = (offset: number, key: string | null, value: string | null, timestamp = 1_700_000_000_000 + offset): ConsumedRecord => ({
  topic: TOPIC,
  partition: 1,
  offset: String(offset),
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: String(timestamp),
});

describe('the record store’s file', () => {
  it('copies its write-ahead log back every interval, so the log does not grow past what an interval wrote', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const path = fileIn();
    const db = openRouterDatabase(path);
    const records = new SqliteRecords(db);
    const value = 'v'.repeat(2_000);
    const commits = (from: number) => {
      for (let n = from; n < from + 200; n += 1) db.transaction(() => records.apply(TOPIC, 1, [record(n, `K${n}`, value)]))();
    };
    const logSize = () => statSync(`${path}-wal`).size;
    const stop = checkpointEvery(db, 1_000);
    commits(0);
    const afterOneInterval = logSize();
    vi.advanceTimersByTime(1_000);
    commits(200);
    // Checkpointed, the log is written again from its start: about one interval's commits long, not two.
    const checkpointed = logSize();
    expect(checkpointed).toBeLessThan(afterOneInterval * 1.5);
    stop();
    vi.advanceTimersByTime(1_000);
    commits(400);
    // Stopped: the log grows by the next commits.
    expect(logSize()).toBeGreaterThan(checkpointed + afterOneInterval / 2);
    expect(records.count(TOPIC)).toBe(600);
    db.close();
  });

  it('keeps the latest record of each key, in key order, and a tombstone removes one', () => {
    const db = openRouterDatabase(':memory:');
    const records = new SqliteRecords(db);
    records.apply(TOPIC, 1, [record(0, 'B', 'b0'), record(1, 'A', 'a1'), record(2, 'B', 'b2'), record(3, null, 'no key')]);
    expect(records.latest(TOPIC, 'B')).toEqual({ topic: TOPIC, partition: 1, offset: '2', key: 'B', timestamp: 1_700_000_000_002, value: Buffer.from('b2') });
    expect(records.scan(TOPIC, null, 10).map((r) => r.key)).toEqual(['A', 'B']);
    expect(records.scan(TOPIC, 'A', 10).map((r) => r.key)).toEqual(['B']);
    // A batch read again after a rebalance does not take a key back to an older record.
    records.apply(TOPIC, 1, [record(0, 'B', 'b0')]);
    expect(records.latest(TOPIC, 'B')?.value.toString()).toBe('b2');
    records.apply(TOPIC, 1, [record(4, 'A', null)]);
    expect(records.latest(TOPIC, 'A')).toBeUndefined();
    expect(records.count(TOPIC)).toBe(1);
    expect(records.latest('records.tax.tax-clearance', 'B')).toBeUndefined();
    records.forget(TOPIC);
    expect(records.count(TOPIC)).toBe(0);
  });

  it('keeps its records and positions across a reopen, and a position only moves forward', () => {
    const path = fileIn();
    let db = openRouterDatabase(path);
    const positions = new TopicPositions(db);
    positions.atomically(() => {
      new SqliteRecords(db).apply(TOPIC, 1, [record(41, 'A', 'a')]);
      positions.save(TOPIC, 1, 42n);
    });
    positions.save(TOPIC, 1, 7n);
    positions.save(TOPIC, 0, 3n);
    db.close();
    db = openRouterDatabase(path);
    expect(new TopicPositions(db).of(TOPIC)).toEqual(new Map([[0, 3n], [1, 42n]]));
    expect(new SqliteRecords(db).latest(TOPIC, 'A')?.offset).toBe('41');
    db.close();
  });

  it('files a request and its first answer, in whichever order the two topics bring them', () => {
    const requests = new RequestStore(openRouterDatabase(':memory:'));
    const asked = { requestId: 'DR-1', requester: 'housing', owner: 'ps', resourceCode: 'ps.residence-permit', askedAt: new Date(1_000), deadline: new Date(31_000), agreementId: 'AG-1', recordKey: '450102198503121233', verifyFields: ['name'], askedBy: 'router-1' };
    requests.asked(asked, { name: '韦建国' });
    expect(requests.get('DR-1')).toMatchObject({ status: 'pending', verifyValues: { name: '韦建国' }, askedBy: 'router-1' });
    expect(requests.overdue('router-1', new Date(30_999))).toEqual([]);
    expect(requests.overdue('router-1', new Date(31_000)).map((r) => r.requestId)).toEqual(['DR-1']);
    expect(requests.overdue('router-2', new Date(31_000))).toEqual([]);
    expect(requests.nextDeadline('router-1')).toEqual(new Date(31_000));
    // The reader of exchange.requests brings it back without the values: they stay.
    requests.asked({ ...asked, askedBy: null });
    expect(requests.get('DR-1')).toMatchObject({ verifyValues: { name: '韦建国' }, askedBy: 'router-1' });
    expect(requests.answered({ requestId: 'DR-1', status: 'answered', matches: { name: true } }, new Date(2_000), 'forwarded')).toBe(true);
    expect(requests.answered({ requestId: 'DR-1', status: 'timeout' }, new Date(31_000), 'forwarded')).toBe(false);
    expect(requests.get('DR-1')).toMatchObject({ status: 'answered', answer: { matches: { name: true } }, answeredAt: new Date(2_000), verifyValues: null });
    expect(requests.nextDeadline('router-1')).toBeUndefined();

    // An answer read before its question: the question fills in the rest and the answer stands.
    requests.answered({ requestId: 'DR-2', status: 'not-found' }, new Date(5_000), 'from-log');
    expect(requests.known('DR-2')).toEqual({ asked: false, status: 'not-found' });
    requests.asked({ ...asked, requestId: 'DR-2', deadline: null });
    expect(requests.get('DR-2')).toMatchObject({ requester: 'housing', status: 'not-found' });
    // The hub's own answer replaces the log's text form of it, never another answer.
    expect(requests.answered({ requestId: 'DR-2', status: 'not-found', reason: 'here' }, new Date(5_000), 'here')).toBe(true);
    expect(requests.answered({ requestId: 'DR-2', status: 'refused' }, new Date(5_000), 'here')).toBe(false);
    // A question answered at once: one row; the log's text form of it is replaced, a question's other answer is not.
    requests.answered({ requestId: 'DR-3', status: 'answered', record: { name: '韦**' } }, new Date(6_000), 'from-log');
    requests.answeredAtOnce({ ...asked, requestId: 'DR-3', deadline: null }, { requestId: 'DR-3', status: 'answered', record: { name: '韦**', born: 1985 } }, new Date(6_000));
    expect(requests.get('DR-3')).toMatchObject({ requester: 'housing', status: 'answered', answer: { record: { born: 1985 } } });
    requests.answeredAtOnce({ ...asked, requestId: 'DR-1', deadline: null }, { requestId: 'DR-1', status: 'refused' }, new Date(7_000));
    expect(requests.get('DR-1')).toMatchObject({ status: 'answered', answer: { matches: { name: true } } });
    expect(requests.prune(new Date(1_001))).toBe(3);
    expect(requests.get('DR-1')).toBeUndefined();
  });
});
