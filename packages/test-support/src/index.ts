import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    /** A ClickHouse server for the suites that hold one to its contract; empty when there is none (chDB only). */
    clickhouseUrl: string;
  }
}

/** Bootstrap servers of the broker the global set-up started (or KAFKA_BROKERS). */
export function testBrokers(): string {
  return inject('kafkaBrokers');
}

/** The ClickHouse server of the run (a container, or CLICKHOUSE_URL), or '' when there is none. */
export function testClickHouseUrl(): string {
  return inject('clickhouseUrl');
}

/** A name no other test (or earlier run against the same broker) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}.${randomUUID().slice(0, 8)}`;
}

export { eventually } from './eventually.ts';
export { freePort, freePorts } from './free-port.ts';
export { startServiceProcess, type LogLine, type ServiceProcess, type ServiceProcessOptions } from './service-process.ts';
