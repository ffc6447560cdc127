import { describe, expect, it } from 'vitest';
import { KeyOrder, Semaphore } from './key-order.ts';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyOrder', () => {
  it('runs tasks of one key one after the other, in the order given', async () => {
    const order = new KeyOrder();
    const log: string[] = [];
    const first = deferred();
    const a1 = order.run('case-1', async () => { log.push('a1 start'); await first.promise; log.push('a1 end'); });
    const a2 = order.run('case-1', async () => { log.push('a2'); });
    await tick();
    expect(log).toEqual(['a1 start']);
    first.resolve();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'a1 end', 'a2']);
  });

  it('runs different keys side by side', async () => {
    const order = new KeyOrder();
    const blocked = deferred();
    const log: string[] = [];
    const a = order.run('case-1', async () => { await blocked.promise; log.push('case-1'); });
    const b = order.run('case-2', async () => { log.push('case-2'); });
    await b;
    expect(log).toEqual(['case-2']);
    blocked.resolve();
    await a;
    expect(log).toEqual(['case-2', 'case-1']);
  });

  it('starts the next task of a key after a failed one, and forgets keys that are done', async () => {
    const order = new KeyOrder();
    const failed = order.run('k', async () => { throw new Error('boom'); });
    const next = order.run('k', async () => 'ran');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ran');
    await tick();
    expect(order.activeKeys).toBe(0);
  });
});

describe('Semaphore', () => {
  it('lets at most `limit` holders in, in the order they asked', async () => {
    const semaphore = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const all = gates.map((gate, i) => semaphore.use(async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await gate.promise;
      running--;
    }));
    await tick();
    expect(started).toEqual([0, 1]);
    gates[1]!.resolve();
    await tick(); await tick();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    await Promise.all(all);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
    expect(semaphore.inUse).toBe(0);
  });

  it('refuses a limit below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
