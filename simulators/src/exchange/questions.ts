import { type DepartmentCode, eventTypes } from '@hub/schemas';
import { type Random, chance, pick, weighted } from '../random.ts';
import { type CanonicalRecord, valueAt } from './published.ts';
import type { Subscription } from './subscriptions.ts';

/**
 * What a window means to find out:
 * - `verify-registered`: an applicant's word checked against a record the
 *   simulators published, as given (every match true);
 * - `verify-other`: the same with one value from another record (that match false);
 * - `question`: the record itself, masked as the agreement says;
 * - `unknown-key`: a key nobody published (not-found).
 */
export type QuestionIntent = 'verify-registered' | 'verify-other' | 'question' | 'unknown-key';

/** How often a window asks each kind of question. */
export const questionMix: readonly (readonly [QuestionIntent, number])[] = [
  ['verify-registered', 55],
  ['verify-other', 20],
  ['question', 15],
  ['unknown-key', 10],
];

/** The body of `POST /v1/exchange/requests`. */
export interface DataRequestBody {
  readonly resource: string;
  readonly key: Readonly<Record<string, string>>;
  readonly purpose: string;
  readonly verify?: Readonly<Record<string, string>>;
}

/** A question one department's window asks, and what the hub should answer if it knows what the simulators published. */
export interface PlannedQuestion {
  /** Whose token: the subscriber. */
  readonly as: DepartmentCode;
  readonly intent: QuestionIntent;
  readonly body: DataRequestBody;
  /** For a verification, the matches expected; for an unknown key, not-found. */
  readonly expected: { readonly status: 'answered'; readonly matches?: Readonly<Record<string, boolean>> } | { readonly status: 'not-found' };
}

/** Where questions come from. */
export interface QuestionSources {
  /** The subscriptions whose agreement is granted: only those are asked under. */
  readonly subscriptions: readonly Subscription[];
  /** Records of the resource the simulators published and the hub has had time to store. */
  published(resource: string): readonly CanonicalRecord[];
  /** A record of the resource nobody published. */
  unpublished(resource: string): CanonicalRecord | undefined;
}

/** The key fields (主键) of a record resource, as the hub keys its records. */
export function keyFieldsOf(resource: string): readonly string[] {
  const type = eventTypes.find((t) => t.area === 'records' && t.catalogue.resourceCode === resource);
  return type?.keyFields ?? [];
}

function keyOf(resource: string, record: CanonicalRecord): Record<string, string> | undefined {
  const key: Record<string, string> = {};
  for (const field of keyFieldsOf(resource)) {
    const value = valueAt(record, field);
    if (value === undefined) return undefined;
    key[field] = value;
  }
  return Object.keys(key).length === 0 ? undefined : key;
}

/**
 * The next question a window asks, drawn from `random` only: a granted
 * subscription, an intent of `mix`, a published record (or, without one yet
 * or for `unknown-key`, an unpublished one), the verified fields (the first of
 * the subscription's always, each other one half the time). Undefined while
 * no subscription is granted. Pure: the same seed and sources give the same questions.
 */
export function nextQuestion(random: Random, sources: QuestionSources, mix: readonly (readonly [QuestionIntent, number])[] = questionMix): PlannedQuestion | undefined {
  if (sources.subscriptions.length === 0) return undefined;
  const subscription = pick(random, sources.subscriptions);
  const { resource, purpose, subscriber } = subscription;
  const published = sources.published(resource);
  let intent = weighted(random, mix);
  if (published.length === 0) intent = 'unknown-key';
  const record = intent === 'unknown-key' ? sources.unpublished(resource) : pick(random, published);
  const key = record === undefined ? undefined : keyOf(resource, record);
  if (record === undefined || key === undefined) return undefined;
  const ask = (body: Omit<DataRequestBody, 'resource' | 'purpose'>, expected: PlannedQuestion['expected']): PlannedQuestion => ({ as: subscriber, intent, body: { resource, purpose, ...body }, expected });

  const asked = subscription.verify.filter((field, i) => (i === 0 || chance(random, 0.5)) && valueAt(record, field) !== undefined);
  if (intent === 'question' || asked.length === 0) return ask({ key }, { status: 'answered' });
  const verify: Record<string, string> = Object.fromEntries(asked.map((field) => [field, valueAt(record, field) ?? '']));
  if (intent === 'unknown-key') return ask({ key, verify }, { status: 'not-found' });
  const matches: Record<string, boolean> = Object.fromEntries(asked.map((field) => [field, true]));
  if (intent === 'verify-other') {
    const field = pick(random, asked);
    const other = otherValue(random, field, verify[field] ?? '', published, sources.unpublished(resource));
    verify[field] = other;
    matches[field] = false;
  }
  return ask({ key, verify }, { status: 'answered', matches });
}

/** A value of `field` that is not `value`: another record's, else an unpublished one's, else the value with a character more. */
function otherValue(random: Random, field: string, value: string, published: readonly CanonicalRecord[], unpublished: CanonicalRecord | undefined): string {
  const others = published.map((record) => valueAt(record, field)).filter((v): v is string => v !== undefined && v !== value);
  if (others.length > 0) return pick(random, others);
  const fresh = unpublished === undefined ? undefined : valueAt(unpublished, field);
  return fresh !== undefined && fresh !== value ? fresh : `${value}某`;
}
