import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCatalogueResources, type CatalogueResource } from './index.ts';

const resource: CatalogueResource = {
  subject: 'records.ps.resident-identity-value',
  version: 2,
  id: 7,
  record: 'gov.hub.records.ps.ResidentIdentity',
  description: 'Resident identity (居民身份信息)',
  resourceCode: 'ps.resident-identity',
  title: '居民身份信息',
  owner: 'ps',
  sharing: 'conditional',
  updateCycle: 'daily',
  taggedFields: [{ path: 'idNumber', record: 'gov.hub.records.ps.ResidentIdentity', field: 'idNumber', tags: ['ID_NUMBER'] }],
  maskedFields: ['idNumber'],
};

// A loopback HTTP server standing for the catalog: local I/O only.
let server: Server;
let base: string;
const asked: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const answer = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url?.includes('department=tax')) answer(200, [{ ...resource, id: 'seven' }]);
    else if (req.url?.includes('department=nobody')) answer(422, { error_code: 42201, message: 'unknown department' });
    else answer(200, [resource]);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((closed) => server.close(closed));
});

describe('fetchCatalogueResources', () => {
  it('asks GET /catalog/resources with the filter and returns what the catalog lists', async () => {
    expect(await fetchCatalogueResources(base, { department: 'ps', condition: 'conditional' })).toEqual([resource]);
    expect(asked.at(-1)).toBe('/catalog/resources?department=ps&condition=conditional');
    await fetchCatalogueResources(base);
    expect(asked.at(-1)).toBe('/catalog/resources');
  });

  it('refuses an answer that is not a list of resources', async () => {
    await expect(fetchCatalogueResources(base, { department: 'tax' })).rejects.toThrow(/not a list of resources/);
  });

  it('passes on the catalog\'s error message with the status', async () => {
    await expect(fetchCatalogueResources(base, { department: 'nobody' })).rejects.toThrow(`the catalog at ${base} answered 422: unknown department`);
  });
});
