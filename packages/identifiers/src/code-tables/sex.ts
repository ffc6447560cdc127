import type { CheckResult } from '../check-result.ts';
import { createCodeTable } from './code-table.ts';

/** Sex (性别), GB/T 2261.1-2003. */
const ENTRIES = [
  ['0', '未知的性别'],
  ['1', '男性'],
  ['2', '女性'],
  ['9', '未说明的性别'],
] as const;

export type SexCode = (typeof ENTRIES)[number][0];

const SEX = createCodeTable<SexCode>({
  subject: 'sex',
  standard: 'GB/T 2261.1',
  entries: ENTRIES,
  aliases: [
    ['男', '1'],
    ['M', '1'],
    ['MALE', '1'],
    ['女', '2'],
    ['F', '2'],
    ['FEMALE', '2'],
    ['未知', '0'],
    ['U', '0'],
    ['UNKNOWN', '0'],
    ['未说明', '9'],
  ],
});

export const SEX_CODES: ReadonlyMap<SexCode, string> = SEX.names;

/** "男", "男性", "M", "male", "1" → '1'; "女", "F", "2" → '2'; "未知" → '0'; "未说明的性别" → '9'. */
export function normaliseSex(text: string): CheckResult<SexCode> {
  return SEX.normalise(text);
}
