import type { CheckResult } from '../check-result.ts';
import { createCodeTable } from './code-table.ts';

/** Marital status (婚姻状况), GB/T 2261.2-2003. */
const ENTRIES = [
  ['10', '未婚'],
  ['20', '已婚'],
  ['21', '初婚'],
  ['22', '再婚'],
  ['23', '复婚'],
  ['30', '丧偶'],
  ['40', '离婚'],
  ['90', '未说明的婚姻状况'],
] as const;

export type MaritalStatusCode = (typeof ENTRIES)[number][0];

const MARITAL_STATUS = createCodeTable<MaritalStatusCode>({
  subject: 'marital status',
  standard: 'GB/T 2261.2',
  entries: ENTRIES,
  aliases: [
    // One-digit codes of the superseded GB 4766-1984, still in older systems.
    ['1', '10'],
    ['2', '20'],
    ['3', '30'],
    ['4', '40'],
    ['9', '90'],
    ['有配偶', '20'],
    ['离异', '40'],
    ['未说明', '90'],
  ],
});

export const MARITAL_STATUS_CODES: ReadonlyMap<MaritalStatusCode, string> = MARITAL_STATUS.names;

/** "已婚", "20", "2" (GB 4766-1984) → '20'; "离异" → '40'. */
export function normaliseMaritalStatus(text: string): CheckResult<MaritalStatusCode> {
  return MARITAL_STATUS.normalise(text);
}
