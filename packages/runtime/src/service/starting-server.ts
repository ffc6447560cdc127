import { createServer } from 'node:http';

/** What a service's port answers while it waits for its dependencies and builds its app. */
export interface StartingServer {
  /** `starting: waiting for Kafka at 127.0.0.1:9092`, … */
  setStatus(status: string): void;
  /** Stops listening and drops open connections, so that the app can listen on the port. */
  close(): Promise<void>;
}

/**
 * Listens on the service's address at once, before the app exists, so that
 * `/health` (and anything else) answers 503 with why the service is not
 * serving yet, instead of the port refusing connections. A port that is taken
 * fails here, before the service waits for anything.
 */
export async function listenWhileStarting(service: string, address: { host: string; port: number }, status: string): Promise<StartingServer> {
  let current = status;
  const server = createServer((_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1', connection: 'close' });
    response.end(JSON.stringify({ status: current, service, checks: {} }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    setStatus(status) {
      current = status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
