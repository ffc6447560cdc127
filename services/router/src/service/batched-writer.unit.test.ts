import type { OutgoingRecord, RecordSender, TopicRecords } from '@hub/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchedWriter } from './requests.ts';

/** A sender whose rounds are answered when the test says. */
function heldSender() {
  const rounds: Array<{ values: string[]; ack: () => void }> = [];
  const sender: RecordSender = {
    send: () => Promise.reject(new Error('sendBatch is used')),
    sendBatch: (batch: TopicRecords[]) =>
      new Promise((resolve) => rounds.push({ values: batch.flatMap((records) => records.messages.map((m) => String(m.value))), ack: () => resolve([]) })),
  } as unknown as RecordSender;
  return { sender, rounds };
}
const record = (value: string): { topic: string; record: OutgoingRecord } => ({ topic: 'exchange.requests', record: { key: value, value } });
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the data requests’ batched writer', () => {
  afterEach(() => vi.useRealTimers());

  it('writes a question alone at once, whatever the linger', async () => {
    const { sender, rounds } = heldSender();
    const filed: string[] = [];
    const writer = batchedWriter(sender, (filings) => filings.forEach((file) => file()), 5);
    const written = writer.write([record('a')], () => filed.push('a'));
    expect(rounds.map((r) => r.values)).toEqual([['a']]);
    rounds[0]!.ack();
    await written;
    expect(filed).toEqual(['a']);
  });

  it('sends the questions that came during a round as the next round, and under load lingers for more before it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const { sender, rounds } = heldSender();
    const writer = batchedWriter(sender, () => {}, 5);
    const all = [writer.write([record('a')])];
    all.push(writer.write([record('b')]), writer.write([record('c')]));
    rounds[0]!.ack();
    await settled();
    // b and c came while a was out: one round, at once (the round before carried one question).
    expect(rounds.map((r) => r.values)).toEqual([['a'], ['b', 'c']]);
    all.push(writer.write([record('d')]), writer.write([record('e')]));
    rounds[1]!.ack();
    await settled();
    // The round of b and c carried two: the next one waits 5 ms, and f joins it.
    vi.advanceTimersByTime(4);
    expect(rounds).toHaveLength(2);
    all.push(writer.write([record('f')]));
    vi.advanceTimersByTime(1);
    await settled();
    expect(rounds.map((r) => r.values)).toEqual([['a'], ['b', 'c'], ['d', 'e', 'f']]);
    rounds[2]!.ack();
    await Promise.all(all);
    // Idle again: the next question goes at once.
    void writer.write([record('g')]);
    expect(rounds.map((r) => r.values).at(-1)).toEqual(['g']);
  });

  it('fails every question of a round that was not written', async () => {
    const sender = { send: () => Promise.reject(new Error('no')), sendBatch: () => Promise.reject(new Error('the broker is gone')) } as unknown as RecordSender;
    const filed: string[] = [];
    const writer = batchedWriter(sender, (filings) => filings.forEach((file) => file()), 5);
    await expect(writer.write([record('a')], () => filed.push('a'))).rejects.toThrow('the broker is gone');
    expect(filed).toEqual([]);
  });
});
