import { describe, expect, it } from 'vitest';
import { readBatch } from './batch.ts';
import { parseNdjson } from './ndjson.ts';

describe('reading a pushed batch', () => {
  it('keeps objects as native records, nested values as JSON text, and turns anything else into a rejected record', () => {
    const { natives, readErrors } = readBatch([{ XM: '韦建国', age: 3, ok: true, note: null, extra: { a: 1 } }, 42, null, ['x']]);
    expect(natives).toEqual([{ XM: '韦建国', age: 3, ok: true, note: null, extra: '{"a":1}' }, { line: '42' }, { line: 'null' }, { line: '["x"]' }]);
    expect([...readErrors]).toEqual([
      [1, [{ field: '(record)', reason: 'item 1 is not a JSON object' }]],
      [2, [{ field: '(record)', reason: 'item 2 is not a JSON object' }]],
      [3, [{ field: '(record)', reason: 'item 3 is not a JSON object' }]],
    ]);
  });
});

describe('NDJSON', () => {
  it('skips blank lines, accepts CRLF and a BOM, and names each unreadable line by its number', () => {
    const parsed = parseNdjson('\uFEFF{"a":1}\r\n\r\n{"a":\n"text"\n{"b":2}', 10);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { natives, readErrors } = readBatch(parsed.items);
    expect(natives).toEqual([{ a: 1 }, { line: '{"a":' }, { line: '"text"' }, { b: 2 }]);
    expect(readErrors.get(1)?.[0]?.reason).toMatch(/^line 3 is not valid JSON/);
    expect(readErrors.get(2)).toEqual([{ field: '(record)', reason: 'line 4 is not a JSON object' }]);
  });

  it('refuses more lines than the batch limit before parsing them', () => {
    const parsed = parseNdjson('{}\n{}\nnot json at all', 2);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.statusCode).toBe(413);
    expect(parsed.error.message).toBe('a push holds at most 2 records (GATEWAY_MAX_BATCH); this one holds 3');
  });
});
