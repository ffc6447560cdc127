import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, wireEncoder, type AvroType } from '@hub/runtime';
import { avroType } from '@hub/schemas';
import { residentMapping, residentRows } from '../../test/support/resident-mapping.ts';
import { PrepareWorker } from './prepare-pool.ts';
import { prepareChunk } from './prepare.ts';

const logger = createLogger('prepare-worker-test', 'error');
const modules = [new URL('../../test/support/resident-mapping.ts', import.meta.url).href];
const worker = PrepareWorker.acquire(modules, logger);
afterAll(() => worker.release());
beforeAll(async () => {
  expect(await worker.ready()).toBe(true);
});

describe('the prepare worker thread', () => {
  const now = Date.UTC(2025, 2, 1, 2);
  const encode = wireEncoder(avroType('ResidentIdentity') as unknown as AvroType, 42);

  it('prepares a chunk exactly as the publisher thread does: ids, values, rejections', async () => {
    const { rows } = residentRows(300, 'worker');
    const readErrors = new Map([[5, [{ field: '(record)', reason: 'line 6 is not valid JSON' }]]]);
    const inWorker = await worker.prepare(residentMapping, 42, rows, now, readErrors);
    const inThread = prepareChunk({ mapping: residentMapping, natives: rows, now, readErrors }, encode, 'gov.hub.ps.ResidentIdentity');
    expect(inWorker).toBeDefined();
    expect(inWorker!.records.length).toBeGreaterThan(250);
    expect(inWorker!.rejections).toEqual(inThread.rejections);
    expect(inWorker!.records.map(({ value, ...rest }) => ({ ...rest, value: value?.toString('hex') })))
      .toEqual(inThread.records.map(({ value, ...rest }) => ({ ...rest, value: value?.toString('hex') })));
  });

  it('leaves a resource it does not map, or maps differently, to the publisher thread', async () => {
    const { rows } = residentRows(3, 'other');
    expect(await worker.prepare({ ...residentMapping, resource: 'household' }, 42, rows, now)).toBeUndefined();
    expect(await worker.prepare({ ...residentMapping, resource: 'other-columns', nativeColumns: ['GMSFHM'] }, 42, rows, now)).toBeUndefined();
    expect(await worker.prepare({ ...residentMapping, nativeColumns: ['GMSFHM'] }, 42, rows, now)).toBeUndefined();
  });

  it('falls back to the publisher thread when the worker cannot start its modules', async () => {
    const broken = PrepareWorker.acquire(['/no/such/module.ts'], logger);
    expect(await broken.ready()).toBe(true); // it starts, without the mapping
    expect(await broken.prepare(residentMapping, 42, residentRows(2, 'x').rows, now)).toBeUndefined();
    await broken.release();
  });
});
