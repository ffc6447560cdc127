import type { KeyObject } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, createLogger, type Kafka, type Logger } from '@hub/runtime';
import { keyIdOf, type Checkpoint } from './chain.ts';
import { openExportFile, readAnchors, readExportFile } from './export-file.ts';
import { readDataFolderPublicKey, readPublicKeyFile, publicKeyText } from './keys.ts';
import type { LoggedRecord } from './records.ts';
import { AUDIT_TOPIC, readAuditTopic } from './topic.ts';
import { verifyChain, type ChainVerification } from './verify.ts';

export const USAGE = `usage: npm run audit -- <command> [options]

  export --out FILE     write the whole audit topic (read_committed, every partition,
                        with partition and offset) to FILE as JSON Lines
  verify [--file FILE]  check the topic, or an export: exit 0 with a summary when every
                        partition's chain holds, 1 naming the first entry (partition and
                        offset) that was altered, removed, reordered or inserted
  public-key            print the public key of the data folder's signing key

  --brokers LIST        Kafka bootstrap servers (default KAFKA_BROKERS, else 127.0.0.1:9092)
  --data-dir DIR        the hub's data folder (default HUB_DATA_DIR, else .hub)
  --public-key FILE     (verify) check the checkpoints with this public key (PEM) instead
                        of the data folder's: the one the hub printed at start
  --anchor FILE         (verify) an earlier export kept elsewhere: every partition must
                        still reach each of its checkpoints (a cut tail shows)
  --topic NAME          the audit topic (default ${AUDIT_TOPIC})
  -h, --help            this text

Exit status: 0 intact (or exported), 1 verification failed, 2 bad arguments, or the
topic, a file or the key could not be read.`;

/** What an export wrote. */
export interface ExportSummary {
  file: string;
  records: number;
  entries: number;
  checkpoints: number;
  unreadable: number;
  /** Every partition of the topic, empty ones too. */
  partitions: number;
}

/** Writes the whole audit topic to `file` as JSON Lines (each batch of a partition in order; partitions interleave). */
export async function exportAuditLog(options: { kafka: Kafka; logger: Logger; topic?: string; file: string }): Promise<ExportSummary> {
  const out = openExportFile(options.file);
  const summary: ExportSummary = { file: options.file, records: 0, entries: 0, checkpoints: 0, unreadable: 0, partitions: 0 };
  try {
    const ends = await readAuditTopic({
      kafka: options.kafka,
      logger: options.logger,
      ...(options.topic ? { topic: options.topic } : {}),
      groupPrefix: 'hub-audit-export',
      async onRecords(_partition, records) {
        for (const record of records) {
          summary.records += 1;
          if ('entry' in record) summary.entries += 1;
          else if ('checkpoint' in record) summary.checkpoints += 1;
          else summary.unreadable += 1;
        }
        await out.write(records);
      },
    });
    summary.partitions = ends.size;
  } finally {
    await out.close();
  }
  return summary;
}

/** Reads the whole audit topic and verifies it. */
export async function verifyAuditTopic(options: { kafka: Kafka; logger: Logger; topic?: string; publicKey: KeyObject; anchors?: readonly Checkpoint[] }): Promise<ChainVerification> {
  const records: LoggedRecord[] = [];
  const ends = await readAuditTopic({
    kafka: options.kafka,
    logger: options.logger,
    ...(options.topic ? { topic: options.topic } : {}),
    groupPrefix: 'hub-audit-verify',
    onRecords(_partition, batch) {
      records.push(...batch);
    },
  });
  return verifyChain(records, options.publicKey, { partitions: [...ends.keys()], ...(options.anchors ? { anchors: options.anchors } : {}) });
}

/** Verifies an export file. */
export async function verifyAuditFile(options: { file: string; publicKey: KeyObject; anchors?: readonly Checkpoint[] }): Promise<ChainVerification> {
  return verifyChain(await readExportFile(options.file), options.publicKey, options.anchors ? { anchors: options.anchors } : {});
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The text `verify` prints. */
export function verificationReport(what: string, result: ChainVerification, keyId: string): string {
  const lines: string[] = [];
  const totals = `${count(result.entries, 'entry', 'entries')}, ${count(result.checkpoints, 'checkpoint', 'checkpoints')}, ${count(result.partitions.length, 'partition', 'partitions')} (key ${keyId})`;
  if (result.ok) {
    lines.push(`${what}: intact: ${totals}`);
  } else {
    const first = result.problem!;
    lines.push(`${what}: NOT intact: partition ${first.partition}, offset ${first.offset ?? '(none left)'}: ${first.kind}: ${first.message}`);
    for (const problem of result.problems.slice(1)) lines.push(`  also partition ${problem.partition}, offset ${problem.offset ?? '(none left)'}: ${problem.kind}: ${problem.message}`);
    lines.push(`  verified before the first problem of each partition: ${totals}`);
  }
  for (const p of result.partitions) {
    if (p.firstOffset === undefined) {
      lines.push(`  partition ${p.partition}: empty`);
      continue;
    }
    const entries = p.entries > 0 ? `${count(p.entries, 'entry', 'entries')} (seq ${p.lastSeq > 1 ? `1–${p.lastSeq}` : '1'})` : '0 entries';
    const signed = p.signedSeq > 0 ? `signed up to seq ${p.signedSeq} at ${p.signedAt}` : 'none signed yet';
    lines.push(`  partition ${p.partition}: ${entries}, ${count(p.checkpoints, 'checkpoint', 'checkpoints')}, ${signed}; ${p.lastSeq - p.signedSeq} unsigned (after the last checkpoint); offsets ${p.firstOffset}–${p.lastOffset}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Where relative paths on the command line start (npm runs the script in the package's folder: INIT_CWD is the caller's). */
  cwd: string;
  /** For the Kafka client's own lines; by default a pino logger at LOG_LEVEL, else warn. */
  logger?: Logger;
}

class UsageError extends Error {
  override name = 'UsageError';
}

const OPTIONS = {
  out: { type: 'string' },
  file: { type: 'string' },
  brokers: { type: 'string' },
  'data-dir': { type: 'string' },
  'public-key': { type: 'string' },
  anchor: { type: 'string' },
  topic: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** `npm run audit -- …` as a function: the exit status. */
export async function runAuditCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    io.stderr(`audit: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const path = (file: string) => (isAbsolute(file) ? file : resolve(io.cwd, file));
  const dataDir = path(values['data-dir'] ?? io.env.HUB_DATA_DIR ?? '.hub');
  const topic = values.topic ?? AUDIT_TOPIC;
  const logger = io.logger ?? createLogger('audit', io.env.LOG_LEVEL ?? 'warn');
  const kafka = () => createKafka({ brokers: values.brokers ?? io.env.KAFKA_BROKERS ?? '127.0.0.1:9092', clientId: 'hub-audit-cli', logger });
  try {
    const [command, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`unexpected ${extra.join(' ')}`);
    switch (command) {
      case 'export': {
        if (!values.out) throw new UsageError('export needs --out FILE');
        const summary = await exportAuditLog({ kafka: kafka(), logger, topic, file: path(values.out) });
        io.stdout(`${topic}: exported ${summary.records} records (${summary.entries} entries, ${summary.checkpoints} checkpoints${summary.unreadable > 0 ? `, ${summary.unreadable} unreadable` : ''}) of ${summary.partitions} partitions to ${summary.file}\n`);
        return 0;
      }
      case 'verify': {
        const publicKey = values['public-key'] ? readPublicKeyFile(path(values['public-key'])) : readDataFolderPublicKey(dataDir);
        const anchors = values.anchor ? await readAnchors(path(values.anchor)) : undefined;
        const result = values.file
          ? await verifyAuditFile({ file: path(values.file), publicKey, ...(anchors ? { anchors } : {}) })
          : await verifyAuditTopic({ kafka: kafka(), logger, topic, publicKey, ...(anchors ? { anchors } : {}) });
        io.stdout(verificationReport(values.file ? path(values.file) : topic, result, keyIdOf(publicKey)));
        return result.ok ? 0 : 1;
      }
      case 'public-key': {
        const publicKey = values['public-key'] ? readPublicKeyFile(path(values['public-key'])) : readDataFolderPublicKey(dataDir);
        io.stdout(`# audit signing key ${keyIdOf(publicKey)}\n${publicKeyText(publicKey)}`);
        return 0;
      }
      case undefined:
        throw new UsageError('which command: export, verify or public-key?');
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`audit: ${error.message}\n\n${USAGE}\n`);
    } else {
      io.stderr(`audit: ${(error as Error).message}\n`);
    }
    return 2;
  }
}
