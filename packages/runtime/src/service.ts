import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Logger } from './logger.ts';

/**
 * What a service's `server.ts` calls: listen, print where, and on SIGINT or
 * SIGTERM close the app (its plugins' onClose hooks disconnect Kafka and the
 * rest) before exiting. A second signal or a 10 s wait forces the exit.
 */
export async function listen(app: FastifyInstance, options: { host: string; port: number; logger: Logger }): Promise<void> {
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) options.logger.error({ err }, 'shutting down after an error');
    else options.logger.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ host: options.host, port: options.port });
}
