import type { NativeRecord } from '../mapping.ts';
import { halfWidthCode } from './width.ts';

/**
 * The text of one native column, or undefined when the column is absent or
 * blank. Numbers and booleans (JSON pushes, spreadsheet cells) are read as
 * their text, so 20240105 is the same as "20240105".
 */
export function nativeText(native: NativeRecord, column: string): string | undefined {
  const text = nativeValueText(native[column]);
  return text.trim() === '' ? undefined : text; // trim() takes the ideographic space (U+3000) too
}

/** A native value as text: '' when absent, numbers and booleans as their text. */
export function nativeValueText(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'string' ? value : String(value);
}

/**
 * A key column as the publisher keys records by it: full-width forms folded,
 * trimmed, upper case (a lower-case x check character is the same number).
 */
export function nativeKey(native: NativeRecord, column: string): string | undefined {
  const text = nativeText(native, column);
  return text === undefined ? undefined : halfWidthCode(text).toUpperCase();
}
