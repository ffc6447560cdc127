import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startServiceProcess, uniqueName, type ServiceProcess } from '@hub/test-support';
// @ts-expect-error plain ESM script without type declarations
import { killLeftover } from '../infra/kafka/kafka.mjs';
import { alive } from '../scripts/processes.ts';
import { exited, health, hubPorts, listening, portVariables, root, startHub, type HubPorts, type HubProcess, type ServiceName } from './hub-process.ts';

/**
 * `npm start` keeps the hub up by itself: a service killed with kill -9 is
 * started again and healthy within a minute while the others run on
 * untouched; one that keeps crashing stops the hub with its last lines. And a
 * service started before Kafka says so on /health and serves once the broker
 * is up (here: the broker npm start starts).
 */
const dataDir = join(root, '.hub', 'test', uniqueName('self-healing'));
const services = Object.keys(portVariables) as ServiceName[];
let ports: HubPorts | undefined;
let hub: HubProcess | undefined;
let early: ServiceProcess | undefined;

afterAll(async () => {
  await early?.killHard();
  await hub?.killAll();
  killLeftover(join(dataDir, 'kafka'));
  rmSync(dataDir, { recursive: true, force: true });
});

async function hubRunning(): Promise<{ hub: HubProcess; ports: HubPorts }> {
  ports ??= await hubPorts();
  // Quieter traffic than the npm start suite: here only the processes matter.
  hub ??= startHub({ dataDir, ports, logFile: join(root, '.hub', 'test', 'self-healing.npm-start.log'), env: { SIMULATORS_RATE: '2', SIMULATORS_CASE_RATE: '6', SIMULATORS_QUESTION_RATE: '0' } });
  await hub.untilUp();
  return { hub, ports };
}

/** The pid of each service, as the table npm start printed and its later "is back" lines say. */
function currentPids(output: string): Record<ServiceName, number> {
  const pids: Partial<Record<ServiceName, number>> = {};
  for (const [, name, pid] of output.matchAll(/^ {2}(\w+) +http:\/\/127\.0\.0\.1:\d+ {2}pid (\d+)/gm)) pids[name as ServiceName] = Number(pid);
  for (const [, name, pid] of output.matchAll(/^▶ (\w+) is back \(pid (\d+)\)/gm)) pids[name as ServiceName] = Number(pid);
  return pids as Record<ServiceName, number>;
}

describe('npm start heals itself', () => {
  it('a service started while Kafka is down says so on /health, naming the address, and serves once the broker is up', async () => {
    ports ??= await hubPorts();
    const brokers = `127.0.0.1:${ports.kafka}`;
    early = await startServiceProcess({
      dir: 'services/catalog',
      name: 'a catalog started before Kafka',
      env: { KAFKA_BROKERS: brokers, CATALOG_TOPIC: uniqueName('early-catalog'), HUB_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      hostVariable: 'CATALOG_HOST',
      portVariable: 'CATALOG_PORT',
      port: await freePort(),
      waitUntilHealthy: false,
    });
    const waiting = await early.waitFor((line) => typeof line.msg === 'string' && line.msg.startsWith(`cannot reach Kafka at ${brokers}`), 30_000, 'the line saying Kafka cannot be reached');
    expect(waiting).toMatchObject({ level: 40, attempt: 1 });
    const answer = await health(early.port);
    expect(answer).toEqual({ status: 503, body: expect.objectContaining({ status: `starting: waiting for Kafka at ${brokers}` }) });
    // The fastify plugin timeout no longer applies to the wait: it keeps trying past 10 s, one line per attempt.
    await early.waitFor((line) => line.msg !== undefined && (line.attempt as number) >= 6, 40_000, 'a sixth attempt, 12 s on');
    expect(early.child.exitCode).toBeNull();

    // npm start brings up the broker on that port; the early catalog then serves.
    await hubRunning();
    const started = Date.now();
    await hub!.waitFor(async () => ((await health(early!.port))?.status === 200 ? true : undefined), 60_000, 'the early catalog to serve').catch((error: unknown) => {
      const exit = early!.child.exitCode === null ? 'still running' : `exited ${early!.child.exitCode}`;
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nthe early catalog (${exit}) wrote:\n${early!.output().split('\n').slice(-40).join('\n')}`);
    });
    console.log(`the catalog started before Kafka served ${((Date.now() - started) / 1000).toFixed(1)} s after the hub was up`);
    expect(early.lines.some((line) => line.msg === `reached Kafka at ${brokers}`)).toBe(true);
    expect(early.output()).not.toMatch(/^\s+at /m);
    expect(early.output()).not.toContain('Plugin did not start in time');
    expect(await early.stop()).toBe(0);
  }, 300_000);

  it('kill -9 of each service: it is back and healthy within 60 s, and the others never stopped', async () => {
    const { hub, ports } = await hubRunning();
    const firstPids = currentPids(hub.output());
    expect(Object.keys(firstPids).sort()).toEqual([...services].sort());
    const late: string[] = [];
    for (const victim of services) {
      if (hub.child.exitCode !== null) break;
      const before = currentPids(hub.output());
      const killedAt = Date.now();
      process.kill(before[victim], 'SIGKILL');
      const backAgain = async () => {
        const pid = currentPids(hub.output())[victim];
        if (hub.child.exitCode !== null) throw new Error(`npm start stopped (${hub.child.exitCode}) while ${victim} was down`);
        return pid !== before[victim] && (await health(ports.services[victim]))?.status === 200 ? pid : undefined;
      };
      // Past the minute, it is late (a failure), and the other services are still checked once it is back.
      const back = await hub.waitFor(backAgain, 60_000, `${victim} to be back and healthy`).catch(async (error: unknown) => {
        late.push(`${victim}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return hub.waitFor(backAgain, 120_000, `${victim} to be back at all`);
      });
      const took = Date.now() - killedAt;
      console.log(`${victim}: back (pid ${back}) and healthy ${(took / 1000).toFixed(1)} s after kill -9`);
      expect(hub.output()).toContain(`▶ ${victim} (pid ${before[victim]}) stopped unexpectedly (SIGKILL); starting it again in`);
      const after = currentPids(hub.output());
      for (const other of services.filter((s) => s !== victim)) {
        expect(after[other], `${other} was restarted while ${victim} was down`).toBe(before[other]);
        expect(alive(after[other]), `${other} (pid ${after[other]}) is gone`).toBe(true);
      }
    }
    expect(late, 'services not back and healthy within 60 s of kill -9').toEqual([]);
    // Each was restarted once, each by its own kill, and the hub kept count.
    for (const name of services) expect(hub.output().match(new RegExp(`^▶ ${name} \\(pid \\d+\\) stopped unexpectedly`, 'gm'))).toHaveLength(1);
    const counts = [...hub.output().matchAll(/restarts so far: (.+)$/gm)].at(-1)?.[1]?.split(', ').sort();
    expect(counts).toEqual(services.map((s) => `${s} 1`).sort());
    for (const name of services) expect((await health(ports.services[name]))?.status, name).toBe(200);
  }, 600_000);

  it('a service that keeps crashing stops the hub, naming it and its last log lines, and stops everything', async () => {
    const { hub, ports } = await hubRunning();
    const victim: ServiceName = 'simulators';
    for (let kill = 0; kill < 6 && hub.child.exitCode === null; kill++) {
      const pid = currentPids(hub.output())[victim];
      process.kill(pid, 'SIGKILL');
      await hub.waitFor(() => (hub.child.exitCode !== null || currentPids(hub.output())[victim] !== pid ? true : undefined), 60_000, `${victim} back, or the hub stopped`);
    }
    expect(await exited(hub.child)).toBe(1);
    const output = hub.output();
    expect(output).toMatch(/▶ simulators keeps crashing \(5 times within 60 s, the last SIGKILL\); stopping the hub/);
    const tail = output.slice(output.indexOf('simulators keeps crashing'));
    expect(tail).toMatch(/its last \d+ log lines:\n {4}\[simulators\] /);
    expect(output).toContain('▶ stopped');
    const stillListening = [];
    for (const port of [ports.kafka, ports.kafka + 1, ...Object.values(ports.services)]) if (await listening(port)) stillListening.push(port);
    expect(stillListening).toEqual([]);
  }, 300_000);
});
