import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { describeDependency, kafkaAt, probeDependency, reasonOf, registryAt, waitForDependencies, type Dependency } from './dependencies.ts';
import { listenWhileStarting } from './starting-server.ts';

/** A port nothing listens on: one the system just gave out and took back. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A registry stand-in answering `statuses` in turn (the last one from then on), recording what it was asked. */
async function registryAnswering(...statuses: number[]): Promise<{ url: string; asked: Array<{ url: string; authorization: string | undefined }> }> {
  const asked: Array<{ url: string; authorization: string | undefined }> = [];
  const server = createServer((request, response) => {
    asked.push({ url: request.url ?? '', authorization: request.headers.authorization });
    response.writeHead(statuses.length > 1 ? statuses.shift()! : statuses[0]!, { 'content-type': 'application/json' });
    response.end('[]');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

describe('a dependency', () => {
  it('is named by its address, never by its credentials', () => {
    expect(describeDependency(kafkaAt('127.0.0.1:9092,127.0.0.1:9093'))).toBe('Kafka at 127.0.0.1:9092,127.0.0.1:9093');
    expect(describeDependency(registryAt('http://127.0.0.1:8081'))).toBe('the registry at http://127.0.0.1:8081');
    expect(describeDependency(registryAt('https://hub:secret@registry.example/api/'))).toBe('the registry at https://registry.example/api');
  });

  it('Kafka on a port nobody listens on fails the probe within its timeout, saying why in one line', async () => {
    const port = await unusedPort();
    const started = Date.now();
    const failure = await probeDependency(kafkaAt(`127.0.0.1:${port}`)).then(() => undefined, (error: unknown) => error);
    expect(failure).toBeDefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(reasonOf(failure)).toMatch(/ECONNREFUSED|Connection error/);
    expect(reasonOf(failure)).not.toContain('\n');
  });

  it('a registry nobody listens on, or one answering 503, fails the probe; one answering 200 passes it', async () => {
    const port = await unusedPort();
    await expect(probeDependency(registryAt(`http://127.0.0.1:${port}`))).rejects.toThrow();
    const starting = await registryAnswering(503);
    await expect(probeDependency(registryAt(starting.url))).rejects.toThrow('it answered 503');
    const ready = await registryAnswering(200);
    await probeDependency(registryAt(`${ready.url.replace('http://', 'http://hub:s%C3%A9cret@')}/`));
    expect(ready.asked).toEqual([{ url: '/subjects', authorization: `Basic ${Buffer.from('hub:sécret').toString('base64')}` }]);
  });
});

describe('waiting for dependencies', () => {
  it('probes each in order, again with growing waits while it fails, and says so before each and after each failure', async () => {
    const kafka = kafkaAt('127.0.0.1:9092');
    const registry = registryAt('http://127.0.0.1:8081');
    const failuresLeft = new Map<Dependency, number>([[kafka, 3], [registry, 1]]);
    const said: string[] = [];
    const slept: number[] = [];
    await waitForDependencies([kafka, registry], {
      probe: async (dependency) => {
        const left = failuresLeft.get(dependency)!;
        failuresLeft.set(dependency, left - 1);
        if (left > 0) throw new Error('connect ECONNREFUSED', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), { code: 'ECONNREFUSED' }) });
      },
      backoff: { baseMs: 500, maxMs: 1_500 },
      sleep: async (ms) => { slept.push(ms); },
      onWaiting: (dependency) => said.push(`waiting for ${describeDependency(dependency)}`),
      onUnreachable: (dependency, { attempt, reason, retryInMs }) => said.push(`${describeDependency(dependency)} #${attempt}: ${reason}, again in ${retryInMs}`),
      onReached: (dependency, attempts) => said.push(`reached ${describeDependency(dependency)} at attempt ${attempts}`),
    });
    expect(said).toEqual([
      'waiting for Kafka at 127.0.0.1:9092',
      'Kafka at 127.0.0.1:9092 #1: connect ECONNREFUSED 127.0.0.1:9092, again in 500',
      'Kafka at 127.0.0.1:9092 #2: connect ECONNREFUSED 127.0.0.1:9092, again in 1000',
      'Kafka at 127.0.0.1:9092 #3: connect ECONNREFUSED 127.0.0.1:9092, again in 1500',
      'reached Kafka at 127.0.0.1:9092 at attempt 4',
      'waiting for the registry at http://127.0.0.1:8081',
      'the registry at http://127.0.0.1:8081 #1: connect ECONNREFUSED 127.0.0.1:9092, again in 500',
      'reached the registry at http://127.0.0.1:8081 at attempt 2',
    ]);
    expect(slept).toEqual([500, 1_000, 1_500, 500]);
  });

  it('stops when its signal aborts (the service is asked to stop while it waits)', async () => {
    const stopping = new AbortController();
    const waiting = waitForDependencies([kafkaAt('127.0.0.1:1')], {
      probe: async () => { throw new Error('unreachable'); },
      onUnreachable: () => stopping.abort(new Error('SIGTERM')),
      signal: stopping.signal,
    });
    await expect(waiting).rejects.toThrow('SIGTERM');
  });

  it('with nothing to wait for, resolves at once', async () => {
    await waitForDependencies([], { probe: () => { throw new Error('never probed'); } });
  });
});

describe('the port of a starting service', () => {
  it('answers 503 with the status of the moment, then frees the port for the app', async () => {
    const port = await unusedPort();
    const starting = await listenWhileStarting('catalog', { host: '127.0.0.1', port }, 'starting: waiting for Kafka at 127.0.0.1:9092');
    const first = await fetch(`http://127.0.0.1:${port}/health`);
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({ status: 'starting: waiting for Kafka at 127.0.0.1:9092', service: 'catalog', checks: {} });
    starting.setStatus('starting: building the app');
    expect(await (await fetch(`http://127.0.0.1:${port}/subjects`)).json()).toMatchObject({ status: 'starting: building the app' });
    await starting.close();
    const app = createServer((_request, response) => response.end('ok'));
    servers.push(app);
    await new Promise<void>((resolve) => app.listen(port, '127.0.0.1', resolve));
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe('ok');
  });

  it('fails at once when the port is taken', async () => {
    const taken = await registryAnswering(200);
    const port = Number(new URL(taken.url).port);
    await expect(listenWhileStarting('catalog', { host: '127.0.0.1', port }, 'starting')).rejects.toThrow(/EADDRINUSE/);
  });
});
