import { mkdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKafka, createLogger, headerText, readUntil, topicEndOffsets } from '@hub/runtime';
import { eventType } from '@hub/schemas';
import { beijingDate, mulberry32, resourceSimulator, simulatedRegion, writeSimulatedFile } from '@hub/simulators';
import { uniqueName } from '@hub/test-support';
// @ts-expect-error plain ESM script without type declarations
import { killLeftover } from '../infra/kafka/kafka.mjs';
import { exited, hubPorts, listening, root, startHub, type HubProcess } from './hub-process.ts';

/**
 * `npm start` as a new user runs it, on ports of its own so that it stands
 * beside the suites' broker: the script installs what is missing (nothing, here),
 * starts its own Kafka, creates the topics, starts every service, and the
 * simulators play live traffic; then Ctrl-C (SIGINT to the process group, as a
 * terminal sends it) stops everything and leaves nothing listening.
 */
const dataDir = join(root, '.hub', 'test', uniqueName('npm-start'));
let hub: HubProcess | undefined;

afterAll(async () => {
  await hub?.killAll();
  killLeftover(join(dataDir, 'kafka'));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('brings the whole hub up with live traffic and drop folders, and Ctrl-C stops everything', async () => {
    const chosen = await hubPorts();
    const kafkaPort = chosen.kafka;
    const ports = chosen.services;
    const { gateway, analytics } = ports;

    const started = Date.now();
    hub = startHub({ dataDir, ports: chosen, env: { SIMULATORS_RATE: '20', SIMULATORS_SEED: '11', SIMULATORS_CASE_RATE: '60' } });
    const { child, waitFor } = hub;
    const output = hub.output;
    await hub.untilUp();
    console.log(`npm start: the hub was up in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // It says where each part listens, and each answers there.
    expect(output()).toContain(`kafka      127.0.0.1:${kafkaPort}`);
    for (const port of Object.values(ports)) {
      expect(output()).toContain(`http://127.0.0.1:${port}`);
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
    // The dashboard a new user opens: the page, its script and ECharts, served by the analytics service itself.
    const page = await fetch(`http://127.0.0.1:${analytics}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/dashboard/dashboard.js');
    for (const asset of ['dashboard.js', 'echarts.esm.min.mjs']) expect((await fetch(`http://127.0.0.1:${analytics}/dashboard/${asset}`)).status, asset).toBe(200);

    // Ctrl-C: every process stops and nothing listens any more.
    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited(child), new Promise((r) => setTimeout(() => r('still running'), 60_000))]);
    expect(code).toBe(0);
    expect(output()).toContain('▶ stopped');
    const stillListening = [];
    for (const port of [kafkaPort, kafkaPort + 1, ...Object.values(ports)]) if (await listening(port)) stillListening.push(port);
    expect(stillListening).toEqual([]);
  }, 360_000);
});
