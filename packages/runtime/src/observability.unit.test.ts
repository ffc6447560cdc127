import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { observability } from './observability.ts';
import { defineErrors } from './errors.ts';

const errors = defineErrors('TEST', {
  NOT_YOURS: [403, 'department %s may not publish %s'],
});

let app: FastifyInstance;
afterEach(() => app.close());

async function build(): Promise<FastifyInstance> {
  app = Fastify({ logger: false });
  await app.register(observability, { service: 'test' });
  app.post('/records', { schema: { body: Type.Object({ idNumber: Type.String({ minLength: 18 }), name: Type.String() }) } }, async () => ({ ok: true }));
  app.get('/forbidden', async () => { throw new errors.NOT_YOURS('tax', 'ps.resident-identity'); });
  app.get('/broken', async () => { throw new Error('database password is hunter2'); });
  return app;
}

describe('observability', () => {
  it('answers /health with every check, and 503 when one fails', async () => {
    await build();
    app.healthChecks.set('kafka', () => {});
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', service: 'test', checks: { kafka: 'ok' } });
    app.healthChecks.set('registry', () => { throw new Error('registry unreachable'); });
    const unhealthy = await app.inject('/health');
    expect(unhealthy.statusCode).toBe(503);
    expect(unhealthy.json().checks.registry).toBe('registry unreachable');
  });

  it('exposes Prometheus metrics including request durations', async () => {
    await build();
    await app.inject('/health');
    const metrics = await app.inject('/metrics');
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('http_request_duration_seconds_count{service="test",method="GET",route="/health",status="200"} 1');
    expect(metrics.body).toContain('process_cpu_user_seconds_total');
  });

  it('maps catalogue errors to problem+json with their code and status', async () => {
    await build();
    const response = await app.inject('/forbidden');
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 403, code: 'TEST_NOT_YOURS', detail: 'department tax may not publish ps.resident-identity' });
  });

  it('names each invalid field and the reason', async () => {
    await build();
    const response = await app.inject({ method: 'POST', url: '/records', payload: { idNumber: '123' } });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('VALIDATION');
    expect(problem.errors).toEqual(expect.arrayContaining([
      { field: 'body.name', reason: expect.stringContaining('name') },
    ]));
  });

  it('hides the internals of a 500', async () => {
    await build();
    const response = await app.inject('/broken');
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('hunter2');
    expect(response.json().code).toBe('INTERNAL');
  });
});
