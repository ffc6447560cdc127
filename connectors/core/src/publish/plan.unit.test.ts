import { describe, expect, it } from 'vitest';
import type { NativeRecord, ResourceMapping } from '../mapping.ts';
import { recordEventId } from '../event-id.ts';
import { chunks, idsOf, mapBatch, mergeOutcomes, planBatch } from './plan.ts';

/** A tiny mapping: K is the key, N must be a number-like text, X must be absent. */
const mapping: ResourceMapping = {
  department: 'tax',
  resource: 'taxpayer-registration',
  eventType: 'TaxpayerRegistration',
  nativeColumns: ['K', 'N', 'X'],
  naturalKey: (native) => (typeof native.K === 'string' && native.K !== '' ? native.K : undefined),
  map(native) {
    const errors = [];
    if (!/^\d+$/.test(String(native.N ?? ''))) errors.push({ field: 'N', reason: 'N must be digits' });
    if (native.X !== undefined) errors.push({ field: 'X', reason: 'X must be absent' });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, record: { n: Number(native.N) } };
  },
};
const context = { now: new Date('2025-03-01T00:00:00Z'), department: 'tax' as const };

describe('planning a batch', () => {
  it('maps good records with their event ids and reports every field of a bad one', () => {
    const natives: NativeRecord[] = [{ K: 'a', N: '1' }, { K: 'b', N: 'x', X: 'y' }, { K: 'c', N: '3' }];
    const { mapped, rejections } = mapBatch(mapping, natives, context);
    expect(mapped.map((m) => m.index)).toEqual([0, 2]);
    expect(mapped[0]).toEqual({ index: 0, naturalKey: 'a', eventId: recordEventId('tax', 'taxpayer-registration', 'a', natives[0]!), record: { eventId: mapped[0]!.eventId, n: 1 } });
    expect(rejections).toHaveLength(1);
    expect(rejections[0]!.errors.map((e) => e.field)).toEqual(['N', 'X']);

    const plan = planBatch(mapped, rejections, new Set());
    expect(plan.outcome).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 1, field: 'N', reason: 'N must be digits' },
        { index: 1, field: 'X', reason: 'X must be absent' },
      ],
    });
  });

  it('counts records the ledger holds, and repeats within the batch, as duplicates', () => {
    const natives: NativeRecord[] = [{ K: 'a', N: '1' }, { K: 'b', N: '2' }, { K: 'a', N: '1' }, { K: 'a', N: '9' }];
    const { mapped, rejections } = mapBatch(mapping, natives, context);
    const known = new Set([mapped[1]!.eventId]);
    const plan = planBatch(mapped, rejections, known);
    // index 1 is known, index 2 repeats index 0, index 3 is the same key with new content: a new event
    expect(plan.records.map((r) => r.index)).toEqual([0, 3]);
    expect(plan.outcome).toEqual({ accepted: 2, duplicates: 2, rejected: [] });
  });

  it('dead-letters a repeated bad record once but reports it every time', () => {
    const natives: NativeRecord[] = [{ K: 'a', N: 'x' }, { K: 'a', N: 'x' }, { K: 'b', N: 'y' }];
    const { mapped, rejections } = mapBatch(mapping, natives, context);
    const earlier = new Set([rejections[2]!.id]);
    const plan = planBatch(mapped, rejections, earlier);
    expect(plan.rejections.map((r) => r.index)).toEqual([0]);
    expect(plan.outcome.rejected.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(idsOf(mapped, rejections)).toHaveLength(3);
  });

  it('rejects a record without a natural key, one the mapping throws on, and one that could not be read', () => {
    const throwing: ResourceMapping = { ...mapping, map: () => { throw new Error('boom'); } };
    expect(mapBatch(mapping, [{ N: '1' }], context).rejections[0]!.errors).toEqual([{ field: '(record)', reason: 'the record has no natural key' }]);
    expect(mapBatch(throwing, [{ K: 'a', N: '1' }], context).rejections[0]!.errors).toEqual([{ field: '(record)', reason: 'mapping failed: boom' }]);
    const readErrors = new Map([[1, [{ field: '(record)', reason: 'line 2 is not valid JSON' }]]]);
    const { mapped, rejections } = mapBatch(mapping, [{ K: 'a', N: '1' }, { line: '{oops' }], context, readErrors);
    expect(mapped).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ index: 1, errors: [{ field: '(record)', reason: 'line 2 is not valid JSON' }] });
  });

  it('splits a large call into bounded chunks and adds their outcomes', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([{ start: 0, items: [1, 2] }, { start: 2, items: [3, 4] }, { start: 4, items: [5] }]);
    expect(chunks([], 3)).toEqual([]);
    expect(() => chunks([1], 0)).toThrow(RangeError);
    expect(mergeOutcomes([
      { accepted: 2, duplicates: 1, rejected: [{ index: 0, field: 'N', reason: 'r' }] },
      { accepted: 3, duplicates: 0, rejected: [{ index: 4, field: 'X', reason: 's' }] },
    ])).toEqual({ accepted: 5, duplicates: 1, rejected: [{ index: 0, field: 'N', reason: 'r' }, { index: 4, field: 'X', reason: 's' }] });
  });
});
