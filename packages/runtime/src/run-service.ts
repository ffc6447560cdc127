import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.ts';
import { createLogger, type Logger } from './logger.ts';

export interface ServiceDefinition<Config extends { LOG_LEVEL: string }> {
  /** The service's name in logs and messages: `catalog`, `gateway`, … */
  name: string;
  /** Reads and validates the environment; throws `ConfigError` naming each bad variable. */
  loadConfig(): Config;
  /** Where to listen. */
  address(config: Config): { host: string; port: number };
  /** Builds the app (every plugin ready). */
  build(config: Config, logger: Logger): Promise<FastifyInstance>;
}

/**
 * What every `server.ts` calls, and all it does: load the configuration (a bad
 * variable prints its message and exits 1, no stack trace), build the app,
 * listen, and on SIGINT or SIGTERM close the app (its plugins' onClose hooks
 * disconnect Kafka and the rest) before exiting; a second signal or a 10 s
 * wait forces the exit. A start that fails (Kafka unreachable, a port taken)
 * logs why and exits 1.
 */
export async function runService<Config extends { LOG_LEVEL: string }>(service: ServiceDefinition<Config>): Promise<FastifyInstance> {
  let config: Config;
  try {
    config = service.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${service.name}: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(service.name, config.LOG_LEVEL);
  let app: FastifyInstance | undefined;
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await app?.close();
  });
  try {
    app = await service.build(config, logger);
    await app.listen(service.address(config));
    return app;
  } catch (error) {
    logger.fatal({ err: error }, `${service.name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await app?.close().catch(() => undefined);
    process.exit(1);
  }
}
