import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** The one place a pino logger is made; libraries take a logger, never make one. */
export function createLogger(name: string, level: string = 'info', options: LoggerOptions = {}): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime, ...options });
}
