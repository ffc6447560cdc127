import closeWithGrace from 'close-with-grace';
import { setFlagsFromString } from 'node:v8';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { describeDependency, waitForDependencies, type Dependency } from './service/dependencies.ts';
import { listenWhileStarting, type StartingServer } from './service/starting-server.ts';

export interface ServiceDefinition<Config extends { LOG_LEVEL: string }> {
  /** The service's name in logs and messages: `catalog`, `gateway`, … */
  name: string;
  /** Reads and validates the environment; throws `ConfigError` naming each bad variable. */
  loadConfig(): Config;
  /** Where to listen. */
  address(config: Config): { host: string; port: number };
  /**
   * What the service cannot serve without, waited for (in this order) before
   * `build`: `[kafkaAt(config.KAFKA_BROKERS), registryAt(config.SCHEMA_REGISTRY_URL)]`,
   * or `[]` for a service that needs neither.
   */
  dependencies(config: Config): readonly Dependency[];
  /** Builds the app (every plugin ready). */
  build(config: Config, logger: Logger): Promise<FastifyInstance>;
  /**
   * How far V8 lets each heap of the process (its worker threads' too) grow past
   * what the last full collection left alive, in percent (V8's
   * `--heap-growing-percent`); by default V8 picks a factor of up to 4, which
   * suits a large live set but lets a small one carry several times its size in
   * garbage.
   */
  heapGrowingPercent?: number;
}

/**
 * What every `server.ts` calls, and all it does: load the configuration (a bad
 * variable prints its message and exits 1, no stack trace); listen at once with
 * a `/health` that answers 503 `starting: waiting for Kafka at …` (or the
 * registry) while a dependency does not answer, probing it again with backoff
 * and logging one line per attempt; then build the app and let it take over the
 * port. On SIGINT or SIGTERM it closes the app (its plugins' onClose hooks
 * disconnect Kafka and the rest) before exiting; a second signal or a 10 s wait
 * forces the exit. A start that fails all the same (a port taken, a
 * dependency gone again while the app is built) logs why and exits 1, for the
 * supervisor to start it again.
 */
export async function runService<Config extends { LOG_LEVEL: string }>(service: ServiceDefinition<Config>): Promise<FastifyInstance> {
  if (service.heapGrowingPercent !== undefined) setFlagsFromString(`--heap-growing-percent=${service.heapGrowingPercent}`);
  let config: Config;
  try {
    config = service.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${service.name}: ${error.message}`);
    process.exit(1);
  }
  const logger = createLogger(service.name, config.LOG_LEVEL);
  const address = service.address(config);
  const stopping = new AbortController();
  let starting: StartingServer | undefined;
  let building: Promise<FastifyInstance> | undefined;
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    stopping.abort();
    await starting?.close();
    const app = await building?.catch(() => undefined);
    await app?.close();
  });
  try {
    starting = await listenWhileStarting(service.name, address, 'starting');
    await waitForDependencies(service.dependencies(config), {
      signal: stopping.signal,
      onWaiting: (dependency) => starting?.setStatus(`starting: waiting for ${describeDependency(dependency)}`),
      onUnreachable: (dependency, { attempt, reason, retryInMs }) =>
        logger.warn({ dependency, attempt, retryInMs }, `cannot reach ${describeDependency(dependency)} (${reason}); trying again in ${(retryInMs / 1000).toFixed(1)} s`),
      onReached: (dependency, attempts) => logger.info({ dependency, attempts }, `reached ${describeDependency(dependency)}`),
    });
    starting.setStatus('starting: building the app');
    building = service.build(config, logger);
    const app = await building;
    await starting.close();
    await app.listen(address);
    return app;
  } catch (error) {
    // A signal while waiting or building: the close-with-grace handler closes what there is, and exits.
    if (stopping.signal.aborted) return new Promise<never>(() => undefined);
    logger.fatal({ err: error }, `${service.name} failed to start: ${error instanceof Error ? error.message : String(error)}`);
    await starting?.close().catch(() => undefined);
    await building?.then((app) => app.close(), () => undefined).catch(() => undefined);
    process.exit(1);
  }
}
