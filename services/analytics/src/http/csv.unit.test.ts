import { describe, expect, it } from 'vitest';
import { csvText } from './csv.ts';

describe('CSV of figure rows', () => {
  it('has a header row, quotes what needs quoting, and leaves nulls empty', () => {
    expect(csvText(['item', 'itemName', 'onTimeRate'], [{ item: 'A', itemName: '企业设立登记, "分支"', onTimeRate: null }, { item: 'B', itemName: 'x', onTimeRate: 0.5 }]))
      .toBe('item,itemName,onTimeRate\r\nA,"企业设立登记, ""分支""",\r\nB,x,0.5\r\n');
  });
});
