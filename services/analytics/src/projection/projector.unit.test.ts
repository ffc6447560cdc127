import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { officialCalendar } from '@hub/calendar';
import { cloudEventHeaders, createLogger, type Kafka } from '@hub/runtime';
import { eventType } from '@hub/schemas';
import type { AnalyticsStore } from '../store/store.ts';
import { createProjectionMetrics } from './metrics.ts';
import { createProjector } from './projector.ts';

/**
 * The projector reads Kafka on while a flush inserts (the client's position
 * moves on before the flush lands), so a flush that fails must take back
 * what was read after it: nothing is committed past a record that did not
 * land, and every partition of the failed and the later batches is read
 * again from its last commit.
 */
type EachBatch = (payload: unknown) => Promise<void>;

const RESIDENT = eventType('ResidentIdentity').fullName;
const message = (offset: number) => ({
  offset: String(offset),
  key: Buffer.from(`k-${offset}`),
  value: Buffer.from([0, 0, 0, 0, 1, 2]),
  timestamp: String(Date.parse('2026-03-02T02:00:00Z')),
  headers: cloudEventHeaders({ id: `r-${offset}`, type: RESIDENT, source: '/connectors/ps', time: new Date('2026-03-02T01:00:00Z') }),
});
const batchOf = (partition: number, offsets: number[]) => ({
  topic: 'records.ps.resident-identity',
  partition,
  messages: offsets.map(message),
  firstOffset: () => String(offsets[0]),
  lastOffset: () => String(offsets.at(-1)),
});

function fakeKafka() {
  let eachBatch: EachBatch | undefined;
  const commits: Array<Array<{ topic: string; partition: number; offset: string }>> = [];
  const seeks: Array<{ topic: string; partition: number; offset: string }> = [];
  const consumer = {
    events: { CRASH: 'crash', GROUP_JOIN: 'join', END_BATCH_PROCESS: 'end' },
    on: () => undefined,
    connect: async () => undefined,
    subscribe: async () => undefined,
    run: async (config: { eachBatch: EachBatch }) => {
      eachBatch = config.eachBatch;
    },
    commitOffsets: async (offsets: Array<{ topic: string; partition: number; offset: string }>) => void commits.push(offsets),
    seek: (at: { topic: string; partition: number; offset: string }) => void seeks.push(at),
    disconnect: async () => undefined,
  };
  const deliver = (batch: ReturnType<typeof batchOf>) =>
    eachBatch!({ batch, resolveOffset: () => undefined, heartbeat: async () => undefined, isRunning: () => true, isStale: () => false });
  return { kafka: { consumer: () => consumer } as unknown as Kafka, commits, seeks, deliver };
}

function gatedStore() {
  const inserted: string[] = [];
  let gate: { failing: boolean; open: Promise<void> } = { failing: false, open: Promise.resolve() };
  let release: () => void = () => undefined;
  const store = {
    table: (name: string) => name,
    query: async () => [],
    async insert(table: string, rows: readonly object[], token: string) {
      const { failing, open } = gate;
      await open;
      if (failing) throw new Error('the store does not answer');
      inserted.push(`${token} (${rows.length})`);
    },
  } as unknown as AnalyticsStore;
  return {
    store,
    inserted,
    /** The next inserts wait until `release()`, then fail. */
    holdAndFail() {
      gate = { failing: true, open: new Promise<void>((resolve) => (release = resolve)) };
      return () => {
        release();
      };
    },
    heal() {
      gate = { failing: false, open: Promise.resolve() };
    },
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('the projector, reading on while a flush inserts', () => {
  it('commits nothing past a failed flush, and reads the failed and the later batches again from their last commit', async () => {
    const kafka = fakeKafka();
    const store = gatedStore();
    const projector = createProjector({
      kafka: kafka.kafka,
      codec: { fromRecord: async () => { throw new Error('not decoded'); } },
      sender: { send: async () => [] },
      store: store.store,
      calendar: officialCalendar(),
      logger: createLogger('projector-test', 'silent'),
      metrics: createProjectionMetrics(new Registry()),
      groupId: 'g',
      topics: ['records.ps.resident-identity'],
      batchRows: 2,
      batchMs: 60_000,
    });
    await projector.start();

    // A first flush lands: partition 0 committed up to offset 2.
    await kafka.deliver(batchOf(0, [0, 1]));
    await until(() => kafka.commits.length === 1);
    expect(kafka.commits[0]).toEqual([{ topic: 'records.ps.resident-identity', partition: 0, offset: '2' }]);

    // The next flush fails while partition 1 was read on meanwhile.
    const fail = store.holdAndFail();
    await kafka.deliver(batchOf(0, [2, 3]));
    await kafka.deliver(batchOf(1, [0]));
    fail();
    await until(() => projector.lastError !== undefined);
    await until(() => kafka.seeks.length === 2);
    expect(kafka.commits).toHaveLength(1);
    expect(kafka.seeks).toEqual(expect.arrayContaining([
      { topic: 'records.ps.resident-identity', partition: 0, offset: '2' },
      { topic: 'records.ps.resident-identity', partition: 1, offset: '0' },
    ]));

    // Read again, they land and are committed.
    store.heal();
    await kafka.deliver(batchOf(0, [2, 3]));
    await kafka.deliver(batchOf(1, [0]));
    await projector.stop();
    expect(kafka.commits.slice(1).flat()).toEqual(expect.arrayContaining([
      { topic: 'records.ps.resident-identity', partition: 0, offset: '4' },
      { topic: 'records.ps.resident-identity', partition: 1, offset: '1' },
    ]));
    expect(projector.lastError).toBeUndefined();
  });
});
