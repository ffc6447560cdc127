import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { TObject } from '@sinclair/typebox';
import { services } from '@hub/topology';

const root = resolve(import.meta.dirname, '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; command?: string[]; environment?: Record<string, unknown> }>;
};

/** What `npm start` runs; each exports its validated configuration schema as `configSchema`. */
const running = services.filter((service) => existsSync(join(root, service.dir, 'src', 'server.ts')));

describe('docker-compose.yml', () => {
  it('runs Kafka with the version infra/kafka pins, and a ClickHouse server', () => {
    const pinned = readFileSync(join(root, 'infra', 'kafka', 'pom.xml'), 'utf8').match(/<kafka\.version>([^<]+)</)?.[1];
    expect(compose.services.kafka?.image).toBe(`apache/kafka:${pinned}`);
    expect(compose.services.clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:/);
  });

  it('has at least the catalog among the services it checks', () => {
    expect(running.map((service) => service.name)).toContain('catalog');
  });

  it('requires every token and secret from the environment, with no development default', () => {
    const secrets: Array<[service: string, variable: string]> = [
      ['gateway', 'GATEWAY_TOKENS'], ['gateway', 'GATEWAY_ROUTER_TOKEN'], ['catalog', 'CATALOG_OPERATOR_TOKEN'], ['sinks', 'SINKS_SECRETS'],
      ['router', 'ROUTER_INTERNAL_TOKEN'], ['simulators', 'SIMULATORS_TOKENS'], ['simulators', 'SIMULATORS_SECRETS'],
    ];
    for (const [service, variable] of secrets) {
      expect(String(compose.services[service]?.environment?.[variable]), `${service} ${variable}`).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
    }
    expect(readFileSync(join(root, 'docker-compose.yml'), 'utf8')).not.toMatch(/dev-[a-z]+-(token|secret)/);
  });

  it.each(running.map((service) => [service.name, service.dir]))('names the %s service, runs %s and sets every variable its configuration reads', async (name, dir) => {
    const service = compose.services[name];
    expect(service, `service ${name} missing from docker-compose.yml`).toBeDefined();
    expect(service!.command).toEqual(['npm', 'start', '-w', dir]);
    const { configSchema } = (await import(join(root, dir, 'src', 'config.ts'))) as { configSchema: TObject };
    const expected = Object.keys(configSchema.properties).sort();
    expect(Object.keys(service!.environment ?? {}).sort()).toEqual(expected);
  });
});
