import { describe, expect, it } from 'vitest';
import { cloudEventHeaders, wireEncoder, type ConsumedRecord } from '@hub/runtime';
import { avroType, loadSchema } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { createWireDecoder, RegistryUnavailableError } from './decoder.ts';

const alert = samples.SupervisionAlert;
const record = (value: Buffer): ConsumedRecord => ({
  topic: 'supervision.alerts', partition: 1, offset: '42', key: Buffer.from('k'), value, timestamp: '0',
  headers: cloudEventHeaders({ id: alert.eventId, type: 'gov.hub.supervision.SupervisionAlert', source: '/hub/router', time: alert.occurredAt }),
});
const encoded = wireEncoder(avroType('SupervisionAlert') as never, 7)(alert);

describe('the wire decoder', () => {
  it('reads a value written in the Confluent wire format with the writer\'s schema, fetched once', async () => {
    const asked: string[] = [];
    const decoder = createWireDecoder({
      registryUrl: 'http://user:secret@registry.test:8081/',
      fetch: (async (url: string, init?: RequestInit) => {
        asked.push(`${url} ${(init?.headers as Record<string, string>).authorization}`);
        return new Response(JSON.stringify({ schema: JSON.stringify(loadSchema('SupervisionAlert')) }));
      }) as typeof fetch,
    });
    const first = await decoder.fromRecord(record(encoded));
    await decoder.fromRecord(record(encoded));
    expect(first).toMatchObject({ type: 'SupervisionAlert', data: alert, metadata: { topic: 'supervision.alerts', partition: 1, offset: '42', key: 'k' } });
    expect(asked).toEqual([`http://registry.test:8081/schemas/ids/7 Basic ${Buffer.from('user:secret').toString('base64')}`]);
  });

  it('tells an unknown schema (a dead letter) from a registry that does not answer (read again later)', async () => {
    const missing = createWireDecoder({ registryUrl: 'http://registry.test', fetch: (async () => new Response('{}', { status: 404 })) as typeof fetch });
    await expect(missing.fromRecord(record(encoded))).rejects.toThrow(/no schema 7/);
    const down = createWireDecoder({ registryUrl: 'http://registry.test', fetch: (async () => { throw new Error('ECONNREFUSED'); }) as typeof fetch });
    await expect(down.fromRecord(record(encoded))).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it('refuses bytes that do not fit the schema', async () => {
    const decoder = createWireDecoder({ registryUrl: 'http://registry.test', fetch: (async () => new Response(JSON.stringify({ schema: JSON.stringify(loadSchema('SupervisionAlert')) }))) as typeof fetch });
    await expect(decoder.fromRecord(record(Buffer.concat([encoded.subarray(0, 5), Buffer.from([0xff, 0xff, 0xff])])))).rejects.toThrow(/does not fit schema 7/);
  });
});
