import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '@hub/runtime';
import { startCatalog } from '@hub/catalog/testing';
import { recordEventId, rejectionId } from '@hub/connector-core';
import { startServiceProcess, testBrokers, uniqueName, type ServiceProcess } from '@hub/test-support';
import { batchesWithBadRecords, tokens } from './support.ts';
import { header, readTopic, tempDataDir, testKafka } from './kafka-support.ts';

let catalog: Awaited<ReturnType<typeof startCatalog>>;
let kafka: Kafka;
const running: ServiceProcess[] = [];

/** The gateway as `npm start` runs it, on a free port, once /health answers. */
const startGatewayProcess = (env: Record<string, string>): Promise<ServiceProcess> =>
  startServiceProcess({ dir: 'services/gateway', name: 'the gateway', env, hostVariable: 'GATEWAY_HOST', portVariable: 'GATEWAY_PORT' });

beforeAll(async () => {
  catalog = await startCatalog(testBrokers(), { seedSchemas: true });
  kafka = testKafka();
});

afterAll(async () => {
  for (const gateway of running) await gateway.killHard();
  await catalog?.close();
});

type Outcome = { status: number; body?: { accepted: number; duplicates: number; rejected: unknown[] } } | { error: string };

async function pushBatch(url: string, records: unknown[]): Promise<Outcome> {
  try {
    const response = await fetch(`${url}/v1/records/ps/resident-identity`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.ps}` },
      body: JSON.stringify(records),
    });
    const text = await response.text();
    return response.status === 202 ? { status: 202, body: JSON.parse(text) } : { status: response.status };
  } catch (error) {
    return { error: error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error) };
  }
}

describe('kill -9 of the gateway in the middle of a push', () => {
  it('after a restart and the client retrying every batch that got no 202, each record is in Kafka exactly once', async () => {
    const env = {
      KAFKA_BROKERS: testBrokers(),
      SCHEMA_REGISTRY_URL: catalog.url,
      HUB_DATA_DIR: tempDataDir(),
      GATEWAY_INSTANCE_ID: uniqueName('gw-crash'),
      LOG_LEVEL: 'info',
    };
    const batches = batchesWithBadRecords(10_000, 1_000, 21);
    // Other suites publish resident records to the same topic: this test's records are told apart by their deterministic ids.
    const goodIds = new Set(batches.flatMap((b) => b.records.filter((_, i) => !b.bad.has(i)).map((r) => recordEventId('ps', 'resident-identity', String(r.GMSFHM), r))));
    const badIds = new Set(batches.flatMap((b) => b.records.filter((_, i) => b.bad.has(i)).map((r) => rejectionId('ps', 'resident-identity', String(r.GMSFHM), r))));

    const first = await startGatewayProcess(env);
    running.push(first);
    // Every batch in flight at once; the gateway publishes them one transaction after another.
    const outcomes: Array<Outcome | undefined> = batches.map(() => undefined);
    let answered = 0;
    let threeAnswered!: () => void;
    const threeThrough = new Promise<void>((resolve) => { threeAnswered = resolve; });
    const inFlight = batches.map(async (batch, n) => {
      const outcome = await pushBatch(first.url, batch.records);
      outcomes[n] = outcome;
      if ('status' in outcome && outcome.status === 202 && ++answered === 3) threeAnswered();
    });
    // Kill once a few batches are through: the next ones are mid-transaction or queued.
    const allEnded = Promise.all(inFlight).then(() => {
      if (answered < 3) throw new Error(`every push ended with only ${answered} answered 202`);
    });
    await Promise.race([threeThrough, allEnded]);
    await first.killHard();
    await Promise.all(inFlight);
    const unanswered = outcomes.map((o, n) => (o && 'status' in o && o.status === 202 ? undefined : n)).filter((n): n is number => n !== undefined);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(unanswered.length).toBeGreaterThan(0);

    const second = await startGatewayProcess(env);
    running.push(second);
    const retried: Outcome[] = [];
    for (const n of unanswered) {
      let outcome = await pushBatch(second.url, batches[n]!.records);
      for (let attempt = 1; !('status' in outcome && outcome.status === 202) && attempt < 5; attempt++) {
        await new Promise((r) => setTimeout(r, 500));
        outcome = await pushBatch(second.url, batches[n]!.records);
      }
      expect(outcome).toMatchObject({ status: 202 });
      retried.push(outcome);
    }

    const ours = (m: { headers?: Parameters<typeof header>[0] }) => goodIds.has(header(m.headers, 'ce_id') ?? '');
    const events = (await readTopic(kafka, 'records.ps.resident-identity', (m) => m.filter(ours).length >= 9_000))
      .filter(ours);
    const eventIds = events.map((m) => header(m.headers, 'ce_id'));
    expect(new Set(eventIds).size).toBe(9_000);
    expect(events).toHaveLength(9_000);

    const rejectedHere = (m: { headers?: Parameters<typeof header>[0] }) => badIds.has(header(m.headers, 'ce_id') ?? '');
    const letters = (await readTopic(kafka, 'dlq.connectors', (m) => m.filter(rejectedHere).length >= 1_000))
      .filter(rejectedHere).map((m) => JSON.parse(m.value!.toString()));
    expect(letters).toHaveLength(1_000);

    const duplicates = retried.reduce((sum, o) => sum + ('body' in o && o.body ? o.body.duplicates : 0), 0);
    console.info(`kill -9 after ${batches.length - unanswered.length} of ${batches.length} batches were answered; ${unanswered.length} retried after the restart, of which ${duplicates} records had been committed before the kill without an answer`);
    await second.killHard();
  });
});
