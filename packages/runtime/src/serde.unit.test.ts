import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAvroSerde } from './serde.ts';

// A registry that knows one schema, id 7: enough for the serde to fetch it.
const schema = {
  type: 'record', name: 'Person', namespace: 'gov.hub.test',
  fields: [
    { name: 'eventId', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'age', type: ['null', 'int'], default: null },
    { name: 'notes', type: { type: 'array', items: 'string' } },
  ],
};
let server: Server;
let registryUrl: string;
beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/schemas/ids/7') {
      response.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
      response.end(JSON.stringify({ schema: JSON.stringify(schema) }));
    } else {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  registryUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the synchronous Avro encoder', () => {
  it('writes what encode writes, for small and large values, and decodes back', async () => {
    const serde = createAvroSerde({ registryUrl });
    const encode = await serde.encoder(7);
    const values = [
      { eventId: 'a', name: '韦建国', age: 40, notes: [] },
      { eventId: 'b', name: 'x'.repeat(40_000), age: null, notes: ['y'.repeat(70_000), 'z'] },
      { eventId: 'c', name: '', age: 1, notes: ['短'] },
    ];
    for (const value of values) {
      const bytes = encode(value);
      expect(bytes.equals(await serde.encode(7, value))).toBe(true);
      expect(serde.schemaIdOf(bytes)).toBe(7);
      expect(await serde.decode(bytes)).toEqual(value);
    }
  });

  it('names the invalid fields of a value the schema refuses, as encode does', async () => {
    const serde = createAvroSerde({ registryUrl });
    const encode = await serde.encoder(7);
    const bad = { eventId: 'a', name: 42, age: 'old', notes: [] };
    expect(() => encode(bad)).toThrow(expect.objectContaining({ paths: [['name'], ['age']] }));
    await expect(serde.encode(7, bad)).rejects.toMatchObject({ paths: [['name'], ['age']] });
  });
});
