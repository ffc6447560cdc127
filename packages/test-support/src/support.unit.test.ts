import { createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from './eventually.ts';
import { freePorts } from './free-port.ts';

describe('eventually', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls until the probe gives a value, and returns it', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const found = eventually(() => (++calls === 3 ? 'there' : undefined), 1_000);
    await vi.advanceTimersByTimeAsync(200);
    await expect(found).resolves.toBe('there');
    expect(calls).toBe(3);
  });

  it('fails with what it waited for once the time is up', async () => {
    vi.useFakeTimers();
    const never = expect(eventually(() => undefined, 1_000, 'the answer')).rejects.toThrow('timed out after 1000 ms waiting for the answer');
    await vi.advanceTimersByTimeAsync(1_200);
    await never;
  });
});

describe('freePorts', () => {
  it('gives consecutive ports below the ephemeral range that a server can listen on', async () => {
    const ports = await freePorts(3);
    expect(ports[1]).toBe(ports[0]! + 1);
    expect(ports[2]).toBe(ports[0]! + 2);
    expect(ports[2]).toBeLessThan(32_768);
    const server = createServer();
    await new Promise<void>((listening) => server.listen(ports[0], '127.0.0.1', listening));
    await new Promise((closed) => server.close(closed));
  });
});
