import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Checkpoint } from './chain.ts';
import { exportLine, parseExportLine, type LoggedRecord } from './records.ts';

/** An export being written: JSON Lines, one logged record a line, in the order given. */
export interface ExportWriter {
  write(records: readonly LoggedRecord[]): Promise<void>;
  close(): Promise<void>;
}

export function openExportFile(path: string): ExportWriter {
  const stream: WriteStream = createWriteStream(path, { encoding: 'utf8' });
  let failure: Error | undefined;
  stream.on('error', (error) => { failure = error; });
  return {
    async write(records) {
      if (failure) throw failure;
      if (records.length === 0) return;
      if (!stream.write(records.map((record) => `${exportLine(record)}\n`).join(''))) await once(stream, 'drain');
    },
    async close() {
      if (failure) throw failure;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

/** Every logged record of an export, in its order. A line that is no export line throws `ExportFormatError`, naming it. */
export async function readExportFile(path: string): Promise<LoggedRecord[]> {
  const records: LoggedRecord[] = [];
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    records.push(parseExportLine(line, number));
  }
  return records;
}

/** The checkpoints of an earlier export, as anchors for `verifyChain`. */
export async function readAnchors(path: string): Promise<Checkpoint[]> {
  return (await readExportFile(path)).flatMap((record) => ('checkpoint' in record ? [record.checkpoint] : []));
}
