import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './codec.ts';
import { avroType } from './load.ts';
import { eventTypes } from './manifest.ts';
import { samples } from './samples/index.ts';
import { sensitiveFields } from './tags.ts';

describe.each(eventTypes.map((eventType) => [eventType.name] as const))('%s sample', (name) => {
  const sample = samples[name];

  it('is valid for the current schema', () => {
    const problems: string[] = [];
    const valid = avroType(name).isValid(sample, { errorHook: (path) => problems.push(path.join('.')) });
    expect(problems).toEqual([]);
    expect(valid).toBe(true);
  });

  it('round-trips through Avro binary unchanged', () => {
    const type = avroType(name);
    expect(type.fromBuffer(type.toBuffer(sample))).toEqual(sample);
    expect(decodeEvent(name, encodeEvent(name, sample))).toEqual(sample);
  });
});

describe('samples', () => {
  it('use valid GB 11643 ID numbers wherever a field is tagged ID_NUMBER', () => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const ids = eventTypes.flatMap(({ name }) =>
      sensitiveFields(name)
        .filter(({ tags, path }) => tags.includes('ID_NUMBER') && !path.endsWith('{}') && !['query', 'answer'].includes(path))
        .flatMap(({ path }) => valuesAt(samples[name], path.split('.'))),
    );
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids.filter((id) => id !== null)) {
      expect(id).toMatch(/^\d{17}[\dX]$/);
      const sum = weights.reduce((total, weight, i) => total + weight * Number((id as string)[i]), 0);
      expect((id as string)[17], id as string).toBe('10X98765432'[sum % 11]);
    }
  });

  it('keep an item fee (收费) exact through decimal(14,2)', () => {
    const charged = { ...samples.ItemDefined, fee: { amount: '80.00', basis: '不动产登记费：住宅类每件80元（发改价格规〔2016〕2559号）' } };
    expect(decodeEvent('ItemDefined', encodeEvent('ItemDefined', charged))).toEqual(charged);
    expect(avroType('ItemDefined').isValid({ ...charged, fee: { ...charged.fee, amount: '80.001' } })).toBe(false);
  });

  it('cannot be encoded with a missing required field', () => {
    const { caseId: _caseId, ...withoutCaseId } = samples.CaseAccepted;
    expect(avroType('CaseAccepted').isValid(withoutCaseId)).toBe(false);
  });
});

/** Values at a `sensitiveFields` path; `[]` steps into every array item. */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  const [step, ...rest] = path;
  if (step === undefined) return [value];
  const isArray = step.endsWith('[]');
  const child = (value as Record<string, unknown>)[isArray ? step.slice(0, -2) : step];
  return isArray ? (child as unknown[]).flatMap((item) => valuesAt(item, rest)) : valuesAt(child, rest);
}
