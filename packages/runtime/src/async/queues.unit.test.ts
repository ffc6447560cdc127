import { describe, expect, it } from 'vitest';
import { KeyOrder, remembered, Semaphore, SerialQueue } from './queues.ts';

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

  it('grants weights in the order asked: a large request is not overtaken by small ones behind it', async () => {
    const budget = new Semaphore(10);
    await budget.acquire(8);
    const granted: string[] = [];
    const large = budget.acquire(5).then(() => granted.push('large'));
    const small = budget.acquire(1).then(() => granted.push('small'));
    await tick();
    expect(granted).toEqual([]);
    budget.release(8);
    await Promise.all([large, small]);
    expect(granted).toEqual(['large', 'small']);
    expect(budget.inUse).toBe(6);
  });

  it('lets a weight above the capacity in alone', async () => {
    const budget = new Semaphore(4);
    await budget.acquire(9);
    expect(budget.inUse).toBe(4);
    budget.release(9);
    expect(budget.inUse).toBe(0);
  });

  it('refuses a capacity below 1', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one at a time in order, a failure not stopping the next', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => { log.push('1 start'); await gate.promise; log.push('1 end'); throw new Error('first failed'); });
    const second = queue.run(() => { log.push('2'); return 2; });
    await tick();
    expect(log).toEqual(['1 start']);
    gate.resolve();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBe(2);
    await queue.drained();
    expect(log).toEqual(['1 start', '1 end', '2']);
  });
});

describe('remembered', () => {
  it('makes once per key and forgets a failure, so the next call tries again', async () => {
    let calls = 0;
    const lookup = remembered(async (key: string) => {
      calls++;
      if (calls === 1) throw new Error('registry down');
      return `${key}-${calls}`;
    });
    await expect(lookup('a')).rejects.toThrow('registry down');
    expect(await lookup('a')).toBe('a-2');
    expect(await lookup('a')).toBe('a-2');
    expect(calls).toBe(2);
  });
});
