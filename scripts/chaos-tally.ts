// The reckoning of `npm run chaos`: what the traffic sent and what each source
// acknowledged, against what is in Kafka at the end. Pure (no Kafka, no clock),
// so that it is tested given/when/then; chaos.ts reads the topics and hands
// the findings in.

/** How a record reached the hub: pushed to the gateway, in a drop file, or a row of a polled table. */
export type Channel = 'push' | 'file' | 'database';
export const channels: readonly Channel[] = ['push', 'file', 'database'];

/**
 * What the source was told about one record.
 * - `acknowledged`: a 2xx that did not reject it, its file moved to done/
 *   (a row meant good), or its row committed in the department's table (meant good):
 *   it must be on its records topic exactly once;
 * - `rejected`: named in a 2xx's `rejected`, or a row meant bad of a done file or a
 *   committed table row: it must be in the dead-letter topic, with its reason;
 * - `unacknowledged`: no 2xx before the end, or a file not done: it may be
 *   anywhere, but never twice.
 */
export type Acknowledgement = 'acknowledged' | 'rejected' | 'unacknowledged';

export interface SentRecord {
  /** Unique per record; travels as the native column CHAOS_ID, so a dead letter's original names it. */
  readonly chaosId: string;
  readonly channel: Channel;
  /** `records.<dept>.<resource>`. */
  readonly topic: string;
  /** The mapping's natural key: the Kafka key a published record carries (absent for a record whose key is spoilt away). */
  readonly key: string | undefined;
  readonly acknowledgement: Acknowledgement;
}

/** What the topics hold at the end (read_committed, from the beginning). */
export interface Findings {
  /** Committed records per `<topic>\u0000<key>`. */
  readonly published: ReadonlyMap<string, number>;
  /** Dead letters per CHAOS_ID of their original, with the reasons they carry. */
  readonly deadLettered: ReadonlyMap<string, readonly string[]>;
}

export const publishedKey = (topic: string, key: string): string => `${topic}\u0000${key}`;

export interface ChannelTally {
  sent: number;
  acknowledged: number;
  /** Acknowledged and on its topic exactly once. */
  foundOnce: number;
  /** Acknowledged and not on its topic. */
  missing: number;
  /** On its topic (or in the dead-letter topic) more than once, whatever it was told. */
  duplicated: number;
  rejected: number;
  /** Rejected and in the dead-letter topic with a reason. */
  deadLettered: number;
  /** Rejected and not in the dead-letter topic (or there without a reason). */
  deadLetterMissing: number;
  /** Rejected, yet published. */
  publishedThoughRejected: number;
  unacknowledged: number;
  /** Unacknowledged, and in Kafka once all the same (a commit whose answer was lost). */
  unacknowledgedFound: number;
}

export interface Tally {
  byChannel: Record<Channel, ChannelTally>;
  total: ChannelTally;
  /** The first few records of each kind of failure, for the report. */
  examples: { missing: SentRecord[]; duplicated: SentRecord[]; deadLetterMissing: SentRecord[]; publishedThoughRejected: SentRecord[] };
}

const emptyTally = (): ChannelTally => ({
  sent: 0, acknowledged: 0, foundOnce: 0, missing: 0, duplicated: 0, rejected: 0, deadLettered: 0,
  deadLetterMissing: 0, publishedThoughRejected: 0, unacknowledged: 0, unacknowledgedFound: 0,
});

const EXAMPLES = 5;

/** Each record sent against the findings: found once, missing, duplicated; dead-lettered or not. */
export function tally(sent: Iterable<SentRecord>, findings: Findings): Tally {
  const byChannel = Object.fromEntries(channels.map((c) => [c, emptyTally()])) as Record<Channel, ChannelTally>;
  const examples: Tally['examples'] = { missing: [], duplicated: [], deadLetterMissing: [], publishedThoughRejected: [] };
  const note = (kind: keyof Tally['examples'], record: SentRecord) => {
    if (examples[kind].length < EXAMPLES) examples[kind].push(record);
  };
  for (const record of sent) {
    const t = byChannel[record.channel];
    t.sent += 1;
    const published = record.key === undefined ? 0 : findings.published.get(publishedKey(record.topic, record.key)) ?? 0;
    const reasons = findings.deadLettered.get(record.chaosId) ?? [];
    if (published > 1 || reasons.length > 1) {
      t.duplicated += 1;
      note('duplicated', record);
    }
    switch (record.acknowledgement) {
      case 'acknowledged':
        t.acknowledged += 1;
        if (published === 1) t.foundOnce += 1;
        else if (published === 0) {
          t.missing += 1;
          note('missing', record);
        }
        break;
      case 'rejected':
        t.rejected += 1;
        if (reasons.length > 0 && reasons.every((reason) => reason.trim() !== '')) t.deadLettered += 1;
        else {
          t.deadLetterMissing += 1;
          note('deadLetterMissing', record);
        }
        if (published > 0) {
          t.publishedThoughRejected += 1;
          note('publishedThoughRejected', record);
        }
        break;
      case 'unacknowledged':
        t.unacknowledged += 1;
        if (published + reasons.length > 0) t.unacknowledgedFound += 1;
        break;
      default: {
        const _exhaustive: never = record.acknowledgement;
        void _exhaustive;
      }
    }
  }
  const total = emptyTally();
  for (const t of Object.values(byChannel)) for (const name of Object.keys(total) as (keyof ChannelTally)[]) total[name] += t[name];
  return { byChannel, total, examples };
}

/** Whether the run kept every promise: nothing acknowledged lost or doubled, every rejection dead-lettered. */
export const kept = (t: Tally): boolean =>
  t.total.missing === 0 && t.total.duplicated === 0 && t.total.deadLetterMissing === 0 && t.total.publishedThoughRejected === 0;

export interface ChaosEvents {
  minutes: number;
  /** Services killed with SIGKILL, by name. */
  kills: Record<string, number>;
  /** SIGKILLs to the Kafka broker. */
  brokerKills: number;
  /** Services npm start reported back ("is back"). */
  restarts: number;
  /** Brokers npm start reported back. */
  brokerRestarts: number;
}

const figure = (n: number) => n.toLocaleString('en-US');

/** The table `npm run chaos` prints (Markdown, so that it goes into the README as it is). */
export function report(events: ChaosEvents, t: Tally): string {
  const killed = Object.values(events.kills).reduce((a, b) => a + b, 0);
  const byName = Object.entries(events.kills).sort(([a], [b]) => a.localeCompare(b)).map(([name, n]) => `${name} ${n}`).join(', ');
  const row = (label: string, pick: (c: ChannelTally) => number) =>
    `| ${label} | ${channels.map((c) => figure(pick(t.byChannel[c]))).join(' | ')} | **${figure(pick(t.total))}** |`;
  return [
    `chaos run of ${events.minutes} min: ${killed} services killed with SIGKILL (${byName}), ${events.restarts} restarts reported; the broker killed ${events.brokerKills} time${events.brokerKills === 1 ? '' : 's'}, ${events.brokerRestarts} broker restart${events.brokerRestarts === 1 ? '' : 's'}`,
    '',
    '| | pushes | drop files | database rows | all |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('sent', (c) => c.sent),
    row('acknowledged', (c) => c.acknowledged),
    row('found once', (c) => c.foundOnce),
    row('missing', (c) => c.missing),
    row('duplicated', (c) => c.duplicated),
    row('rejected', (c) => c.rejected),
    row('rejected: in dlq.connectors with its reason', (c) => c.deadLettered),
    row('rejected: not dead-lettered', (c) => c.deadLetterMissing),
    row('rejected: published all the same', (c) => c.publishedThoughRejected),
    row('not acknowledged (retries ran out, file not done)', (c) => c.unacknowledged),
    row('not acknowledged, in Kafka once', (c) => c.unacknowledgedFound),
  ].join('\n');
}
