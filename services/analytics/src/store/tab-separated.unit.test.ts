import { describe, expect, it } from 'vitest';
import { tabSeparated } from './tab-separated.ts';

describe('rows as TabSeparated', () => {
  it('writes the first row\'s columns in order, NULL as \\N, booleans as bits and instants in UTC', () => {
    const rows = [
      { eventId: 'e-1', version: 3, caseId: null, when: new Date('2026-03-02T01:02:03.004Z'), ok: true },
      { eventId: 'e-2', version: 4, caseId: 'GW-1', when: new Date('2026-03-02T01:02:03Z'), ok: false },
    ];
    expect(tabSeparated(rows)).toEqual({
      columns: ['eventId', 'version', 'caseId', 'when', 'ok'],
      text: 'e-1\t3\t\\N\t2026-03-02 01:02:03.004\t1\ne-2\t4\tGW-1\t2026-03-02 01:02:03.000\t0\n',
    });
  });

  it('escapes what would end a field or a row, and keeps JSON text as it is once read back', () => {
    const data = JSON.stringify({ reason: 'a "quoted"\tline\nand a back\\slash' });
    const { text } = tabSeparated([{ data, note: 'C:\\temp\r' }]);
    expect(text.split('\n')).toHaveLength(2);
    expect(text.split('\t')).toHaveLength(2);
    const unescape = (field: string) => field.replace(/\\(.)/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
    const [first, second] = text.slice(0, -1).split('\t');
    expect(unescape(first!)).toBe(data);
    expect(unescape(second!)).toBe('C:\\temp\r');
  });

  it('is empty for no rows', () => {
    expect(tabSeparated([])).toEqual({ columns: [], text: '' });
  });
});
