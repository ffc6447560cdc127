import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka, createLogger, headerText, readUntil, topicEndOffsets } from '@hub/runtime';
import { eventType } from '@hub/schemas';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, writeSimulatedFile } from '@hub/simulators';
import { eventually, freePorts, uniqueName } from '@hub/test-support';
// @ts-expect-error plain ESM script without type declarations
import { killLeftover } from '../infra/kafka/kafka.mjs';

/**
 * `npm start` as a new user runs it, on ports of its own so that it stands
 * beside the suites' broker: the script installs what is missing (nothing, here),
 * starts its own Kafka, creates the topics, starts every service, and the
 * simulators play live traffic; then Ctrl-C (SIGINT to the process group, as a
 * terminal sends it) stops everything and leaves nothing listening.
 */
const root = resolve(import.meta.dirname, '..');
const dataDir = join(root, '.hub', 'test', uniqueName('npm-start'));
let hub: ChildProcess | undefined;
let output = '';

/** Whether something accepts connections on 127.0.0.1:port. */
const listening = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });

/** Waits as `eventually` does; a failure carries the end of what npm start printed. */
async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  try {
    return await eventually(probe, timeoutMs, what);
  } catch (error) {
    const brokerLog = join(dataDir, 'kafka', 'broker.log');
    const broker = existsSync(brokerLog) ? `\n--- the broker's log (the end) ---\n${readFileSync(brokerLog, 'utf8').slice(-4_000)}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- npm start printed (the end) ---\n${output.slice(-4_000)}${broker}`, { cause: error });
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once('exit', (code) => done(code)));

afterAll(async () => {
  if (hub && hub.exitCode === null && hub.signalCode === null) {
    process.kill(-hub.pid!, 'SIGKILL');
    await exited(hub);
  }
  killLeftover(join(dataDir, 'kafka'));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('brings the whole hub up with live traffic and drop folders, and Ctrl-C stops everything', async () => {
    // The broker and its controller on the next port, then each service.
    const [kafkaPort, , catalog, gateway, connectors, sinks, router, simulators, analytics] = (await freePorts(9)) as [number, number, number, number, number, number, number, number, number];
    const ports = { CATALOG_PORT: catalog, GATEWAY_PORT: gateway, CONNECTORS_PORT: connectors, SINKS_PORT: sinks, ROUTER_PORT: router, SIMULATORS_PORT: simulators, ANALYTICS_PORT: analytics };
    const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_PORT: String(kafkaPort), KAFKA_HEAP: '384m', HUB_DATA_DIR: dataDir, SIMULATORS_RATE: '20', SIMULATORS_SEED: '11', SIMULATORS_CASE_RATE: '60' };
    for (const [name, port] of Object.entries(ports)) env[name] = String(port);
    for (const name of ['KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'GATEWAY_URL', 'SINKS_WEBHOOKS']) delete env[name];

    const started = Date.now();
    hub = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [hub.stdout!, hub.stderr!]) stream.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const child = hub;
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      return output.includes('the hub is up') ? true : undefined;
    }, 180_000, 'npm start to print that the hub is up');
    console.log(`npm start: the hub was up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // It says where each part listens, and each answers there.
    expect(output).toContain(`kafka      127.0.0.1:${kafkaPort}`);
    for (const port of Object.values(ports)) {
      expect(output).toContain(`http://127.0.0.1:${port}`);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    }

    // Live traffic at once: the simulators push through the gateway into the departments'
    // record topics, and their share of bad records reaches the dead-letter topic.
    const kafka = createKafka({ brokers: `127.0.0.1:${kafkaPort}`, clientId: 'npm-start-test', logger: createLogger('npm-start-test', 'warn') });
    const admin = kafka.admin();
    await admin.connect();
    const recordTopics = (await admin.listTopics()).filter((topic) => topic.startsWith('records.'));
    await admin.disconnect();
    expect(recordTopics.length).toBeGreaterThanOrEqual(10);
    const total = async (topics: string[]) => {
      let sum = 0n;
      for (const topic of topics) for (const offset of (await topicEndOffsets(kafka, topic)).values()) sum += offset;
      return sum;
    };
    await waitFor(async () => ((await total(recordTopics)) > 50n ? true : undefined), 60_000, 'simulated records on the record topics');
    await waitFor(async () => ((await total(['dlq.connectors'])) > 0n ? true : undefined), 60_000, 'dead letters of the simulated bad records');

    // A department's export dropped in its folder is read and moved to done/.
    const folder = join(dataDir, 'drop', 'ps', 'resident-identity');
    mkdirSync(join(folder, 'inbox'), { recursive: true });
    const now = new Date();
    const context = { region: simulatedRegion(mulberry32(3)), now, today: beijingDate(now) };
    await writeSimulatedFile(join(folder, 'rk.csv.part'), { simulator: resourceSimulator('ps.resident-identity'), count: 200, badShare: 0.1, random: mulberry32(4), context, format: 'csv' });
    renameSync(join(folder, 'rk.csv.part'), join(folder, 'inbox', 'rk.csv'));
    await waitFor(() => (existsSync(join(folder, 'done', 'rk.csv')) ? true : undefined), 60_000, 'the dropped file to be done');

    // Cases flow live: the simulated windows submit and accept, the router asks the co-approvers,
    // and the gateway shows a case with its tasks and due dates.
    const requested = eventType('CoApprovalRequested').fullName;
    const records = await readUntil(kafka, 'cases.events', (found) => found.some((r) => headerText(r.headers, 'ce_type') === requested), { logger: createLogger('npm-start-test', 'warn'), timeoutMs: 90_000 });
    // A case the applicant is not bringing material for (its clock stops then, and so do its due dates).
    const asked = [...new Set(records.filter((r) => headerText(r.headers, 'ce_type') === requested).map((r) => r.key!.toString()))];
    let view: { caseId: string; status: string; promisedDueDate: string; tasks: Array<{ department: string; dueDate: string | null }> } | undefined;
    for (const caseId of asked) {
      const shown = await fetch(`http://127.0.0.1:${gateway}/v1/cases/${encodeURIComponent(caseId)}`, { headers: { authorization: 'Bearer dev-window-token' } });
      expect(shown.status).toBe(200);
      view = (await shown.json()) as typeof view;
      expect(view!.caseId).toBe(caseId);
      if (view!.status !== 'suspended') break;
    }
    expect(view?.status).not.toBe('suspended');
    expect(view!.promisedDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(view!.tasks.length).toBeGreaterThan(0);
    for (const task of view!.tasks) expect(task.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // The exchange flows: the simulated departments subscribe and ask, every exchange is monitored and audited.
    await waitFor(async () => ((await total(['exchange.monitoring'])) > 0n ? true : undefined), 90_000, 'exchange monitoring records');
    await waitFor(async () => ((await total(['audit.exchange'])) > 0n ? true : undefined), 90_000, 'audit entries of the exchange');

    // The analytics projection shows the live cases, and one case's history.
    const figures = await waitFor(async () => {
      const answer = await fetch(`http://127.0.0.1:${analytics}/api/v1/figures/cases`);
      if (answer.status !== 200) return undefined;
      const { rows } = (await answer.json()) as { rows: Array<{ submitted: number }> };
      return (rows[0]?.submitted ?? 0) >= 1 ? rows[0] : undefined;
    }, 90_000, 'the analytics figures of the live cases');
    expect(figures!.submitted).toBeGreaterThanOrEqual(1);
    const history = await waitFor(async () => {
      const answer = await fetch(`http://127.0.0.1:${analytics}/api/v1/cases/${encodeURIComponent(view!.caseId)}/events`);
      if (answer.status !== 200) return undefined;
      const { rows } = (await answer.json()) as { rows: unknown[] };
      return rows.length > 0 ? rows : undefined;
    }, 60_000, 'the projected history of a case');
    expect(history!.length).toBeGreaterThan(0);

    // Ctrl-C: every process stops and nothing listens any more.
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited(child), new Promise((r) => setTimeout(() => r('still running'), 60_000))]);
    expect(code).toBe(0);
    expect(output).toContain('▶ stopped');
    const stillListening = [];
    for (const port of [kafkaPort, kafkaPort + 1, ...Object.values(ports)]) if (await listening(port)) stillListening.push(port);
    expect(stillListening).toEqual([]);
  }, 360_000);
});
