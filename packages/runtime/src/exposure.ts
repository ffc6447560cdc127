import { ConfigError } from './config.ts';

/** Whether an address to listen on is reachable from this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A secret the service needs once it listens beyond loopback, and what is wrong with its value (undefined: nothing). */
export type SecretCheck = readonly [variable: string, problem: string | undefined];

/**
 * The development tokens and secrets are written in the README: on one
 * machine, where the service listens on loopback, they are fine; a service
 * that listens beyond it (`hostVariable` is not a loopback address) refuses to
 * start while any of `checks` has a problem, naming each variable.
 */
export function refuseDevelopmentSecrets(hostVariable: string, host: string, checks: readonly SecretCheck[]): void {
  if (isLoopback(host)) return;
  const problems = checks.flatMap(([variable, problem]) => (problem === undefined ? [] : [`${variable}: ${problem}, and ${hostVariable}=${host} listens beyond this machine (README: Secrets for a deployment)`]));
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The problem of a `name=secret,...` list for a deployment: a development value, too short, or a name missing. */
export function secretListProblem(list: string, options: { required?: readonly string[]; minLength?: number } = {}): string | undefined {
  const { required = [], minLength = 16 } = options;
  const entries = new Map(list.split(',').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at), pair.slice(at + 1)] as const;
  }));
  const development = [...entries].filter(([, value]) => value.startsWith('dev-')).map(([name]) => name);
  if (development.length > 0) return `the development value (dev-…) for ${development.join(', ')}`;
  const short = [...entries].filter(([, value]) => value.length < minLength).map(([name]) => name);
  if (short.length > 0) return `shorter than ${minLength} characters for ${short.join(', ')}`;
  const missing = required.filter((name) => !entries.has(name));
  if (missing.length > 0) return `none for ${missing.join(', ')}`;
  return undefined;
}

/** The problem of one secret for a deployment: unset, a development value, or too short. */
export function secretProblem(value: string | undefined, minLength = 16): string | undefined {
  if (value === undefined || value === '') return 'not set';
  if (value.startsWith('dev-')) return 'a development value (dev-…)';
  if (value.length < minLength) return `shorter than ${minLength} characters`;
  return undefined;
}
