/**
 * What every department connector's table tests share: a fixed mapping context,
 * assertions on map results, and reading the sample files. Imported as
 * `@hub/connector-core/testing/mapping-tests`: these assert with vitest, and
 * `@hub/connector-core/testing` stays free of it for the child processes that load it.
 */
import { readFileSync } from 'node:fs';
import { type DepartmentCode, avroType } from '@hub/schemas';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { FieldError, MapResult, MappingContext, NativeRecord, ResourceMapping } from '../../src/index.ts';

/** Noon in Beijing on 2025-06-01; the `now` of every table test. */
export const TEST_NOW = new Date('2025-06-01T04:00:00.000Z');

export function testContext(department: DepartmentCode): MappingContext {
  return { now: TEST_NOW, department };
}

/** The canonical record of a good native record; fails the test with the errors otherwise. */
export function mapOk<C extends object>(mapping: ResourceMapping<C>, native: NativeRecord): Omit<C, 'eventId'> {
  const result = mapping.map(native, testContext(mapping.department));
  if (!result.ok) expect.fail(`expected ${JSON.stringify(native)} to map, got ${JSON.stringify(result.errors)}`);
  expectCanonical(mapping, result.record);
  return result.record;
}

/** The errors of a bad native record; fails the test if it mapped. */
export function mapErrors<C extends object>(mapping: ResourceMapping<C>, native: NativeRecord): FieldError[] {
  const result: MapResult<Omit<C, 'eventId'>> = mapping.map(native, testContext(mapping.department));
  if (result.ok) expect.fail(`expected ${JSON.stringify(native)} to fail, got ${JSON.stringify(result.record)}`);
  return result.errors;
}

/** Expected errors: the field exactly, the reason by a pattern it must match. */
export type ExpectedError = readonly [field: string, reason: RegExp];

export function expectErrors(errors: readonly FieldError[], expected: readonly ExpectedError[]): void {
  expect(errors.map((e) => e.field)).toEqual(expected.map(([field]) => field));
  errors.forEach((error, i) => expect(error.reason).toMatch(expected[i]?.[1] ?? /./));
}

/** The record with an event id filled is valid for the event type's current Avro schema, with no extra fields. */
export function expectCanonical<C extends object>(mapping: ResourceMapping<C>, record: Omit<C, 'eventId'>): void {
  const type = avroType(mapping.eventType);
  const candidate = { eventId: 'test', ...record };
  const problems: string[] = [];
  const valid = type.isValid(candidate, {
    noUndeclaredFields: true,
    errorHook: (path: string[], value: unknown) => problems.push(`${path.join('.')}=${JSON.stringify(value)}`),
  });
  expect(problems, `invalid ${mapping.eventType}`).toEqual([]);
  expect(valid).toBe(true);
}

/** Rows of a sample CSV (UTF-8, header of native column names); every value a string. */
export function readCsvSample(url: URL): NativeRecord[] {
  return parse(readFileSync(url), { columns: true, bom: true, skip_empty_lines: true }) as NativeRecord[];
}

/** Records of a sample JSON Lines file. */
export function readJsonlSample(url: URL): NativeRecord[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as NativeRecord);
}

/** The rows of `samples/<resource>.csv` or `.jsonl` in a connector's samples folder. */
export function readSample(samples: URL, resource: string, format: 'csv' | 'jsonl'): NativeRecord[] {
  const url = new URL(`${resource}.${format}`, samples);
  return format === 'csv' ? readCsvSample(url) : readJsonlSample(url);
}
