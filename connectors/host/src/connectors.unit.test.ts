import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '@hub/runtime';
import { loadHostConfig } from './config.ts';
import { loadConnectors } from './connectors.ts';
import { parseDatabaseSources } from './database-sources.ts';

const logger = createLogger('test', 'silent');
const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');

describe('the connector host set-up', () => {
  it('loads the connectors it finds, skipping a missing package and a broken module', async () => {
    const { connectors, problems } = await loadConnectors([
      '@hub/connector-no-such-department',
      join(fixtures, 'resident-connector.ts'),
      join(fixtures, 'broken-connector.ts'),
      join(fixtures, 'resident-connector.ts'),
    ], logger);
    expect(connectors.map((c) => [c.department, c.resources.map((r) => r.resource)])).toEqual([['ps', ['resident-identity']]]);
    expect(problems).toEqual([expect.stringContaining('broken on purpose')]);
  });

  it('has defaults that work on one machine and names a bad variable', () => {
    const config = loadHostConfig({});
    expect(config).toMatchObject({ CONNECTORS_HOST: '127.0.0.1', CONNECTORS_PORT: 8083, CONNECTORS_BATCH_SIZE: 5000, CONNECTORS_INSTANCE_ID: '0', HUB_DATA_DIR: '.hub' });
    expect(config.CONNECTORS_MODULES.split(',')).toContain('@hub/connector-ps');
    expect(() => loadHostConfig({ CONNECTORS_BATCH_SIZE: '0' })).toThrow(/CONNECTORS_BATCH_SIZE/);
    expect(() => loadHostConfig({ CONNECTORS_INSTANCE_ID: 'a b' })).toThrow(/CONNECTORS_INSTANCE_ID/);
  });

  it('reads the database sources as JSON and names every problem', () => {
    expect(parseDatabaseSources('')).toEqual([]);
    const source = {
      department: 'ps', resource: 'resident-identity', connectionString: 'postgres://u:p@127.0.0.1:5432/jd', table: 'rk.jbxx',
      keyColumn: 'gmsfhm', updatedAtColumn: 'gxsj', columns: { gmsfhm: 'GMSFHM' },
    };
    expect(parseDatabaseSources(JSON.stringify([source]))).toEqual([source]);
    expect(parseDatabaseSources(JSON.stringify([{ ...source, delayMs: 5_000 }]))).toEqual([{ ...source, delayMs: 5_000 }]);
    expect(() => parseDatabaseSources(JSON.stringify([{ ...source, delayMs: -1 }]))).toThrow(/\.0\.delayMs/);
    expect(() => parseDatabaseSources('[{"department":"ps"}]')).toThrow(ConfigError);
    expect(() => parseDatabaseSources('/no/such/file.json')).toThrow(/neither a JSON array nor an existing file/);
    expect(() => parseDatabaseSources(JSON.stringify([{ ...source, connectionString: 'mysql://x', columns: {} }])))
      .toThrow(/\.0\.connectionString[\s\S]*\.0\.columns/);
  });
});
