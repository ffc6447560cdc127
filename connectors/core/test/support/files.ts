import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { NativeRecord } from '../../src/index.ts';

export type Format = 'csv-utf8' | 'csv-utf8-bom' | 'csv-gbk' | 'jsonl' | 'xlsx';

function csvField(value: NativeRecord[string]): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(rows: readonly NativeRecord[], columns: readonly string[]): string {
  return [columns.join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))].join('\r\n') + '\r\n';
}

/** Writes the rows as a department would drop them: first as `<name>.part`, then renamed. Returns the file name. */
export async function dropFile(inbox: string, base: string, format: Format, rows: readonly NativeRecord[], columns: readonly string[]): Promise<string> {
  const extension = format === 'jsonl' ? 'jsonl' : format === 'xlsx' ? 'xlsx' : 'csv';
  const name = `${base}.${extension}`;
  const part = join(inbox, `${name}.part`);
  if (format === 'xlsx') {
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part, useSharedStrings: true });
    const sheet = writer.addWorksheet('data');
    sheet.addRow([...columns]).commit();
    for (const row of rows) sheet.addRow(columns.map((c) => row[c] ?? null)).commit();
    sheet.commit();
    await writer.commit();
  } else if (format === 'jsonl') {
    writeFileSync(part, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  } else {
    const text = csvText(rows, columns);
    const bytes = format === 'csv-gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
    writeFileSync(part, format === 'csv-utf8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes);
  }
  renameSync(part, join(inbox, name));
  return name;
}
