import type { FieldError, NativeRecord } from '../../mapping.ts';
import type { ReadRow } from './readers.ts';

export interface RowBatch {
  /** Row number (1-based) of the batch's first record in the file. */
  firstRow: number;
  records: NativeRecord[];
  /** Rows of the batch that could not be read as records, by index in the batch. */
  readErrors?: Map<number, FieldError[]>;
}

/** Groups rows into batches of at most `size`, skipping the first `skip` rows (already published). */
export async function* batchesOf(rows: AsyncIterable<ReadRow>, size: number, skip = 0): AsyncGenerator<RowBatch> {
  let row = 0;
  let batch: RowBatch | undefined;
  for await (const read of rows) {
    row += 1;
    if (row <= skip) continue;
    batch ??= { firstRow: row, records: [] };
    if (read.error) (batch.readErrors ??= new Map()).set(batch.records.length, read.error);
    batch.records.push(read.record);
    if (batch.records.length >= size) {
      yield batch;
      batch = undefined;
    }
  }
  if (batch) yield batch;
}
