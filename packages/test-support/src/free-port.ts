import { createServer } from 'node:net';

/** Whether a server can listen on 127.0.0.1:port right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/**
 * `count` consecutive ports nobody listens on right now (on 127.0.0.1), below
 * Linux's ephemeral range (32768 up): a port the system handed out would be
 * free again at once, and could be given to an outgoing connection before the
 * process under test listens on it.
 */
export async function freePorts(count: number): Promise<number[]> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - count));
    const ports = Array.from({ length: count }, (_x, i) => base + i);
    if ((await Promise.all(ports.map(bindable))).every(Boolean)) return ports;
  }
}

/** A port nobody listens on right now (on 127.0.0.1), below the ephemeral range. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}
