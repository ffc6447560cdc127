import { backoffCeiling, sleep as abortableSleep } from '../async/backoff.ts';
import { createKafka } from '../kafka/client.ts';
import { createLogger } from '../logger.ts';

/**
 * What a service cannot serve without, and waits for before it builds its app:
 * the Kafka cluster, the schema registry (the catalog, or any
 * Confluent-compatible one).
 */
export type Dependency =
  | { readonly kind: 'kafka'; readonly brokers: string }
  | { readonly kind: 'registry'; readonly url: string };

export const kafkaAt = (brokers: string): Dependency => ({ kind: 'kafka', brokers });
export const registryAt = (url: string): Dependency => ({ kind: 'registry', url });

/** What the log and /health call it: `Kafka at 127.0.0.1:9092`, `the registry at http://127.0.0.1:8081` (credentials left out). */
export function describeDependency(dependency: Dependency): string {
  switch (dependency.kind) {
    case 'kafka':
      return `Kafka at ${dependency.brokers}`;
    case 'registry':
      return `the registry at ${withoutCredentials(dependency.url)}`;
    default: {
      const _exhaustive: never = dependency;
      return _exhaustive;
    }
  }
}

function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}

/** Resolves when the dependency answers; rejects with why not. */
export type Probe = (dependency: Dependency) => Promise<void>;

/** How long a probe waits for an answer: a broker or registry that takes longer is not ready to serve. */
const probeTimeoutMs = 2_000;

/** Connects to the cluster and asks for its brokers and controller, without kafkajs' own retries or log lines. */
async function probeKafka(brokers: string): Promise<void> {
  const kafka = createKafka({
    brokers,
    clientId: 'hub-dependency-probe',
    logger: createLogger('dependency-probe', 'silent'),
    connectionTimeout: probeTimeoutMs,
    requestTimeout: probeTimeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    // A broker that has just started answers before it knows its controller; topics cannot be created yet.
    const { controller } = await admin.describeCluster();
    if (controller === null || controller < 0) throw new Error('the cluster has no active controller yet');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** `GET <registry>/subjects` answers 2xx (credentials in the URL sent as basic auth, which fetch will not take in the URL). */
async function probeRegistry(url: string): Promise<void> {
  const target = new URL(url.replace(/\/?$/, '/subjects'));
  const headers: Record<string, string> = {};
  if (target.username || target.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  const response = await fetch(target, { headers, signal: AbortSignal.timeout(probeTimeoutMs) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`it answered ${response.status}`);
}

export const probeDependency: Probe = (dependency) => {
  switch (dependency.kind) {
    case 'kafka':
      return probeKafka(dependency.brokers);
    case 'registry':
      return probeRegistry(dependency.url);
    default: {
      const _exhaustive: never = dependency;
      return _exhaustive;
    }
  }
};

/** The innermost message of an error: kafkajs and fetch wrap the socket's reason (ECONNREFUSED) in their own. */
export function reasonOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const inner = (current as { cause?: unknown; originalError?: unknown } | undefined)?.cause ?? (current as { originalError?: unknown } | undefined)?.originalError;
    if (!(inner instanceof Error)) break;
    current = inner;
  }
  if (current instanceof AggregateError && current.errors[0] instanceof Error) current = current.errors[0];
  const message = current instanceof Error ? current.message : String(current);
  const code = (current as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}

export interface WaitingOptions {
  probe?: Probe;
  /** Waits between attempts: base·2^(n−1), at most max (no jitter: one process waits, not a crowd). */
  backoff?: { baseMs: number; maxMs: number };
  /** Before each first attempt at a dependency: what /health says meanwhile. */
  onWaiting?(dependency: Dependency): void;
  /** After each failed attempt. */
  onUnreachable?(dependency: Dependency, failure: { attempt: number; reason: string; retryInMs: number }): void;
  /** When a dependency answered after failed attempts. */
  onReached?(dependency: Dependency, attempts: number): void;
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const dependencyBackoff = { baseMs: 500, maxMs: 5_000 };

/** Probes each dependency in turn until it answers, for as long as it takes (or until `signal` aborts). */
export async function waitForDependencies(dependencies: readonly Dependency[], options: WaitingOptions = {}): Promise<void> {
  const { probe = probeDependency, backoff = dependencyBackoff, sleep = abortableSleep, signal } = options;
  for (const dependency of dependencies) {
    options.onWaiting?.(dependency);
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        await probe(dependency);
        if (attempt > 1) options.onReached?.(dependency, attempt);
        break;
      } catch (error) {
        const retryInMs = backoffCeiling(backoff, attempt);
        options.onUnreachable?.(dependency, { attempt, reason: reasonOf(error), retryInMs });
        await sleep(retryInMs, signal);
      }
    }
  }
}
