import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { services } from '@hub/topology';

const root = resolve(import.meta.dirname, '..');
const runnable = services.filter((s) => existsSync(join(root, s.dir, 'src', 'server.ts')));

function start(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, dir, 'src', 'server.ts')], { cwd: join(root, dir), env: { ...process.env, ...env } });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stderr, stdout }));
  });
}

describe('every service, started with a bad variable', () => {
  it('has a server.ts for each service npm start runs', () => {
    expect(runnable.map((s) => s.name)).toEqual(expect.arrayContaining(['catalog', 'gateway', 'connectors', 'sinks', 'simulators']));
  });

  it.each(runnable.map((s) => [s.name, s.dir]))('%s prints the variable and why, exits 1, and shows no stack trace', async (name, dir) => {
    const variable = `${name.toUpperCase()}_PORT`;
    const { code, stderr, stdout } = await start(dir, { [variable]: 'not-a-port', LOG_LEVEL: 'info' });
    expect(code).toBe(1);
    expect(stderr).toContain(`${variable}="not-a-port"`);
    expect(stderr + stdout).not.toMatch(/^\s+at /m);
  });
});

describe('a service that listens beyond loopback', () => {
  const exposed: Array<[name: string, variable: string, dir: string, env: NodeJS.ProcessEnv]> = [
    ['gateway', 'GATEWAY_TOKENS', 'services/gateway', { GATEWAY_HOST: '0.0.0.0' }],
    ['catalog', 'CATALOG_OPERATOR_TOKEN', 'services/catalog', { CATALOG_HOST: '0.0.0.0' }],
    ['sinks', 'SINKS_SECRETS', 'connectors/sinks', { SINKS_HOST: '0.0.0.0' }],
    ['router', 'ROUTER_INTERNAL_TOKEN', 'services/router', { ROUTER_HOST: '0.0.0.0' }],
  ];

  it.each(exposed)('%s refuses to start on the development secrets, naming %s', async (_name, variable, dir, env) => {
    const { code, stderr } = await start(dir, { ...env, LOG_LEVEL: 'info' });
    expect(code).toBe(1);
    expect(stderr).toContain(variable);
    expect(stderr).toContain('listens beyond this machine');
  });

  it('the gateway gets past the check with tokens of its own and an operator token', async () => {
    const tokens = 'tax=Tq8vN2xK7pL4mZ9wR1sB,operator=Op5hG3jD8kS2aF6lQ0zX';
    // Past the secrets, the next check is a bad port: the start got beyond them.
    const { code, stderr } = await start('services/gateway', { GATEWAY_HOST: '0.0.0.0', GATEWAY_TOKENS: tokens, GATEWAY_PORT: 'not-a-port' });
    expect(code).toBe(1);
    expect(stderr).toContain('GATEWAY_PORT="not-a-port"');
    expect(stderr).not.toContain('GATEWAY_TOKENS');
  });
});
