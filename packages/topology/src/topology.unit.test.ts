import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { departments, eventTypes } from '@hub/schemas';
import { describe, expect, it } from 'vitest';
import { deadLetterComponents, hubTopics, services, wiring } from './index.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const inWorkspace = (dir: string) => workspaces.some((pattern) => (pattern.endsWith('/*') ? dir.startsWith(pattern.slice(0, -1)) && !dir.slice(pattern.length - 1).includes('/') : dir === pattern));

describe('services', () => {
  it('have distinct names and distinct loopback ports', () => {
    expect(new Set(services.map((s) => s.name)).size).toBe(services.length);
    const ports = services.map((s) => new URL(s.url).port);
    expect(new Set(ports).size).toBe(services.length);
    for (const service of services) expect(new URL(service.url).hostname).toBe('127.0.0.1');
  });

  it('each live in a folder the root package.json names as a workspace', () => {
    for (const service of services) expect(inWorkspace(service.dir), `${service.dir} is no workspace`).toBe(true);
  });

  it('include the ones written so far, each started by npm start -w <dir> as npm start runs it', () => {
    // npm start runs the services whose folder has a src/server.ts; docker-compose runs `npm start -w <dir>`.
    const runnable = services.filter((s) => existsSync(join(root, s.dir, 'src', 'server.ts')));
    expect(runnable.map((s) => s.name)).toEqual(expect.arrayContaining(['catalog', 'gateway', 'connectors', 'sinks', 'simulators']));
    for (const service of runnable) {
      const manifest = JSON.parse(readFileSync(join(root, service.dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      expect(manifest.scripts?.start, service.dir).toBe('node --import tsx src/server.ts');
    }
  });

  it('are wired to each other by their addresses, leaving a variable that is set alone', () => {
    const url = (name: string) => services.find((s) => s.name === name)!.url;
    const wired = wiring({});
    expect(wired.SCHEMA_REGISTRY_URL).toBe(url('catalog'));
    expect(wired.GATEWAY_URL).toBe(url('gateway'));
    expect(wired.GATEWAY_ROUTER_URL).toBe(url('router'));
    expect(wired.SINKS_WEBHOOKS?.split(',')).toEqual(departments.map((d) => `${d.code}=${url('simulators')}/webhooks/${d.code}`));
    expect(wiring({ SCHEMA_REGISTRY_URL: 'http://registry.example:8081', SINKS_WEBHOOKS: 'tax=http://tax.example/hook' })).toMatchObject({
      SCHEMA_REGISTRY_URL: 'http://registry.example:8081',
      SINKS_WEBHOOKS: 'tax=http://tax.example/hook',
    });
  });
});

describe('hub topics', () => {
  const topics = hubTopics();
  const names = topics.map((t) => t.topic);

  it('are named <area>.<what>, in Kafka\'s legal characters, each once', () => {
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name).toMatch(/^[a-z]+(\.[a-z0-9][a-z0-9-]*)+$/);
      expect(name.length).toBeLessThanOrEqual(249);
      expect(['records', 'cases', 'items', 'exchange', 'deliveries', 'supervision', 'dlq', 'audit', 'ledger']).toContain(name.split('.')[0]);
    }
  });

  it('cover every event type of the manifest, per department where the topic is', () => {
    for (const eventType of eventTypes) {
      if (eventType.topic.includes('<dept>')) {
        for (const { code } of departments) expect(names).toContain(eventType.topic.replace('<dept>', code));
      } else {
        expect(names).toContain(eventType.topic);
      }
    }
  });

  it('include a dead-letter topic per component, the gateway audit and the connectors\' ledger', () => {
    for (const component of deadLetterComponents) expect(names).toContain(`dlq.${component}`);
    expect(names).toContain('audit.gateway');
    expect(topics.find((t) => t.topic === 'ledger.connectors')).toMatchObject({ retentionMs: -1 });
    // The exchange audit trail is a hash chain per partition: nothing of it may be compacted away or expire.
    expect(topics.find((t) => t.topic === 'audit.exchange')).toEqual({ topic: 'audit.exchange', partitions: 3, cleanupPolicy: 'delete', retentionMs: -1 });
  });

  it('keep the logs the router restores its state from forever: no time retention, never compacted', () => {
    for (const name of ['cases.events', 'supervision.alerts', 'exchange.agreements']) expect(topics.find((t) => t.topic === name)).toEqual({ topic: name, partitions: 3, retentionMs: -1 });
    expect(topics.find((t) => t.topic === 'items.events')).toMatchObject({ cleanupPolicy: 'compact' });
  });

  it('each have at least one partition', () => {
    for (const topic of topics) expect(topic.partitions ?? 3).toBeGreaterThanOrEqual(1);
  });
});
