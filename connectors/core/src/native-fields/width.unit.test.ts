import { describe, expect, it } from 'vitest';
import { nativeText } from './native-value.ts';
import { halfWidthCode, halfWidthText } from './width.ts';

// The plain definitions the fast paths must agree with.
const fold = (c: string) => String.fromCharCode(c.charCodeAt(0) - 0xfee0);
const codeReference = (t: string) => t.replace(/\u3000/g, ' ').replace(/[\uFF01-\uFF5E]/g, fold).trim();
const textReference = (t: string) => t.replace(/\u3000/g, ' ').replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, fold).trim();

describe('full-width folding', () => {
  const samples = [
    '', ' ', '\u3000', ' \u3000 ', '450102198503121233', ' ４５０１０２ ', 'ＪＹ１２３－４５', '韦建国', '买买提·艾力', '南宁市\u3000兴宁区（民生路）８８号',
    'abc\u3000def', '\t12,345.60㎡\n', 'ｘ', '～！', '\uFF00\uFF5F', '2025-01-06 10:11:00',
  ];
  it('folds as the plain replacements do, with or without anything to fold', () => {
    for (const sample of samples) {
      expect(halfWidthCode(sample)).toBe(codeReference(sample));
      expect(halfWidthText(sample)).toBe(textReference(sample));
    }
  });

  it('treats a value of spaces, ideographic ones included, as blank', () => {
    expect(nativeText({ a: ' \u3000\t' }, 'a')).toBeUndefined();
    expect(nativeText({ a: '\u3000x\u3000' }, 'a')).toBe('\u3000x\u3000');
    expect(nativeText({ a: 0 }, 'a')).toBe('0');
  });
});
