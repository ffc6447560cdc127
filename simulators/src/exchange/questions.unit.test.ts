import { describe, expect, it } from 'vitest';
import { verifyFields } from '@hub/router';
import { beijingDate } from '../dates.ts';
import { simulatedRegion } from '../places.ts';
import { type Random, mulberry32 } from '../random.ts';
import { resourceSimulator } from '../records.ts';
import { type CanonicalRecord, canonicalRecord } from './published.ts';
import { type PlannedQuestion, type QuestionSources, keyFieldsOf, nextQuestion } from './questions.ts';
import { plannedSubscriptions, subscriptionTable } from './subscriptions.ts';

const now = new Date('2026-03-02T02:00:00.000Z');

/** Sources over `perResource` published records of every resource of the table, drawn from `seed`. */
function sources(seed: number, perResource = 30): QuestionSources & { records: Map<string, CanonicalRecord[]> } {
  const random = mulberry32(seed);
  const region = simulatedRegion(random);
  const simulate = (resource: string, r: Random) => {
    const simulator = resourceSimulator(resource);
    return canonicalRecord(simulator, simulator.good(r, { region, now, today: beijingDate(now) }), now);
  };
  const records = new Map<string, CanonicalRecord[]>();
  for (const { resource } of subscriptionTable) {
    if (!records.has(resource)) records.set(resource, Array.from({ length: perResource }, () => simulate(resource, random)).filter((r) => r !== undefined));
  }
  const unpublishedRandom = mulberry32(seed + 1);
  return { records, subscriptions: subscriptionTable, published: (resource) => records.get(resource) ?? [], unpublished: (resource) => simulate(resource, unpublishedRandom) };
}

function draw(seed: number, count: number): PlannedQuestion[] {
  const random = mulberry32(seed);
  const from = sources(seed);
  return Array.from({ length: count }, () => nextQuestion(random, from)).filter((q) => q !== undefined);
}

describe('nextQuestion', () => {
  it('draws the same questions from the same seed, and others from another', () => {
    expect(draw(11, 50)).toEqual(draw(11, 50));
    expect(draw(11, 50)).not.toEqual(draw(12, 50));
  });

  it('asks nothing while no subscription is granted', () => {
    expect(nextQuestion(mulberry32(1), { ...sources(1), subscriptions: [] })).toBeUndefined();
  });

  it('asks as the subscriber, under its purpose, by the resource\'s whole key, within the gateway\'s limits', () => {
    for (const question of draw(3, 400)) {
      const subscription = subscriptionTable.find((s) => s.subscriber === question.as && s.resource === question.body.resource);
      expect(subscription).toBeDefined();
      expect(question.body.purpose).toBe(subscription?.purpose);
      expect(Object.keys(question.body.key).sort()).toEqual([...keyFieldsOf(question.body.resource)].sort());
      const verify = question.body.verify ?? {};
      expect(Object.keys(verify).length).toBeLessThanOrEqual(16);
      for (const value of [...Object.values(question.body.key), ...Object.values(verify)]) expect(value.length).toBeGreaterThan(0);
      for (const field of Object.keys(verify)) expect(subscription?.verify).toContain(field);
    }
  });

  it('mixes mostly verifications of published records with some plain questions and unknown keys', () => {
    const questions = draw(5, 2000);
    const share = (intent: string) => questions.filter((q) => q.intent === intent).length / questions.length;
    expect(share('verify-registered')).toBeGreaterThan(0.45);
    expect(share('verify-other')).toBeGreaterThan(0.12);
    expect(share('question')).toBeGreaterThan(0.08);
    expect(share('unknown-key')).toBeGreaterThan(0.05);
    expect(questions.filter((q) => q.intent === 'question').every((q) => q.body.verify === undefined)).toBe(true);
  });

  it('expects what the router\'s verification answers: the published values match, the one taken from another record does not', () => {
    const random = mulberry32(9);
    const from = sources(9);
    let checked = 0;
    for (let i = 0; i < 1000; i += 1) {
      const question = nextQuestion(random, from);
      if (question === undefined || question.body.verify === undefined || question.expected.status !== 'answered') continue;
      const record = from.records.get(question.body.resource)?.find((r) => keyFieldsOf(question.body.resource).every((field) => String(r[field]) === question.body.key[field]));
      expect(record, `${question.body.resource} ${JSON.stringify(question.body.key)} is a published record`).toBeDefined();
      expect(verifyFields(record!, question.body.verify)).toEqual(question.expected.matches);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('asks about a key nobody published, expecting not-found, when none is published yet', () => {
    const random = mulberry32(4);
    const from = { ...sources(4), published: () => [] };
    const questions = Array.from({ length: 100 }, () => nextQuestion(random, from)).filter((q) => q !== undefined);
    expect(questions.length).toBeGreaterThan(90);
    expect(questions.every((q) => q.intent === 'unknown-key' && q.expected.status === 'not-found')).toBe(true);
  });

  it('asks only under the subscriptions given: the default departments\' planned ones', () => {
    const { planned } = plannedSubscriptions(['tax', 'ps', 'land', 'market', 'civil']);
    const random = mulberry32(2);
    const from = { ...sources(2), subscriptions: planned };
    const asked = new Set(Array.from({ length: 300 }, () => nextQuestion(random, from)).map((q) => `${q?.as}>${q?.body.resource}`));
    expect([...asked].every((pair) => planned.some((s) => `${s.subscriber}>${s.resource}` === pair))).toBe(true);
  });
});
