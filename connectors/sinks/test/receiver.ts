import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What a department's webhook answers: a status (and an optional delay), decided per request. */
export interface Answer {
  status: number;
  delayMs?: number;
  headers?: Record<string, string>;
}

export type Behaviour = (request: Received, attempt: number) => Answer;

/**
 * A real local HTTP receiver standing in for department systems: each path has
 * its behaviour; every request is kept, with how many were in flight at once.
 */
export async function startReceiver(behaviours: Record<string, Behaviour>): Promise<{
  url: string;
  requests: Received[];
  peakInFlight: (path: string) => number;
  close: () => Promise<void>;
}> {
  const requests: Received[] = [];
  const attempts = new Map<string, number>();
  const inFlight = new Map<string, number>();
  const peaks = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const received: Received = { path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      requests.push(received);
      const eventId = String(req.headers['x-hub-event-id'] ?? '');
      const attempt = (attempts.get(`${path}|${eventId}`) ?? 0) + 1;
      attempts.set(`${path}|${eventId}`, attempt);
      const behaviour: Behaviour = behaviours[path] ?? (() => ({ status: 404 }));
      const { status, delayMs = 0, headers = {} } = behaviour(received, attempt);
      inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
      peaks.set(path, Math.max(peaks.get(path) ?? 0, inFlight.get(path) ?? 0));
      const answer = () => {
        inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
        if (!res.destroyed) res.writeHead(status, headers).end();
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    peakInFlight: (path) => peaks.get(path) ?? 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
