import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LedgerStore } from './store.ts';

describe('the local ledger store', () => {
  const dirs: string[] = [];
  const open = (): LedgerStore => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-'));
    dirs.push(dir);
    return new LedgerStore(join(dir, 'nested', 'ledger.sqlite'));
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('knows which ids were published, looked up in chunks', () => {
    const store = open();
    const ids = Array.from({ length: 5_000 }, (_, i) => `id-${i}`);
    store.apply({ connector: 'ps', instanceId: '0', eventIds: ids.slice(0, 2_500), rejectionIds: ['r-1'] });
    const known = store.known([...ids, 'r-1', 'r-2']);
    expect(known.size).toBe(2_501);
    expect(known.has('id-2499') && known.has('r-1') && !known.has('id-2500')).toBe(true);
    expect(store.publishedCount()).toBe(2_501);
    store.close();
  });

  it('groups its writes into one commit: its own look-ups see them at once, the file once the group is committed', () => {
    const store = open();
    store.apply({ connector: 'ps', instanceId: '0', eventIds: ['a', 'b'], rejectionIds: [] }, { partition: 1, offset: '7' });
    store.saveOffset(2, '9');
    expect(store.known(['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
    const reader = new LedgerStore(store.path);
    expect(reader.known(['a', 'b'])).toEqual(new Set()); // lost by a crash now, and applied again from the topic on start
    expect(reader.offsets()).toEqual(new Map());
    store.flush();
    expect(reader.known(['a', 'b'])).toEqual(new Set(['a', 'b']));
    expect(reader.offsets()).toEqual(new Map([[1, '7'], [2, '9']]));
    reader.close();
    store.close();
  });

  it('commits a group once it holds 100,000 ids, and on close', () => {
    const store = open();
    const reader = new LedgerStore(store.path);
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `id-${from + i}`);
    store.apply({ connector: 'ps', instanceId: '0', eventIds: ids(0, 60_000), rejectionIds: [] });
    expect(reader.publishedCount()).toBe(0);
    store.apply({ connector: 'ps', instanceId: '0', eventIds: ids(60_000, 40_000), rejectionIds: [] });
    expect(reader.publishedCount()).toBe(100_000);
    store.apply({ connector: 'ps', instanceId: '0', eventIds: ['last'], rejectionIds: [] });
    expect(reader.publishedCount()).toBe(100_000);
    store.close();
    expect(reader.publishedCount()).toBe(100_001);
    reader.close();
  });

  it('only moves file progress forward and keeps a complete file complete', () => {
    const store = open();
    const file = { source: 'ps/resident-identity', fileId: 'f1', name: 'a.csv' };
    store.apply({ connector: 'ps', instanceId: '0', eventIds: [], rejectionIds: [], file: { ...file, rowReached: 200, complete: false } });
    store.apply({ connector: 'ps', instanceId: '0', eventIds: [], rejectionIds: [], file: { ...file, rowReached: 100, complete: false } });
    expect(store.fileProgress(file.source, 'f1')).toEqual({ ...file, rowReached: 200, complete: false });
    store.apply({ connector: 'ps', instanceId: '0', eventIds: [], rejectionIds: [], file: { ...file, rowReached: 300, complete: true } });
    store.apply({ connector: 'ps', instanceId: '0', eventIds: [], rejectionIds: [], file: { ...file, name: 'b.csv', rowReached: 0, complete: false } });
    expect(store.fileProgress(file.source, 'f1')).toEqual({ ...file, name: 'b.csv', rowReached: 300, complete: true });
    expect(store.fileProgress('other', 'f1')).toBeUndefined();
    store.close();
  });

  it('keeps watermarks and the applied topic offsets across a reopen', () => {
    const store = open();
    store.apply(
      { connector: 'ps', instanceId: '0', eventIds: ['a'], rejectionIds: [], watermark: { source: 'ps/rk', updatedAt: '2025-01-06 10:11:00.123456+08', key: '42' } },
      { partition: 2, offset: '17' },
    );
    store.saveOffset(0, '5');
    const path = store.path;
    store.close();
    const again = new LedgerStore(path);
    expect(again.watermark('ps/rk')).toEqual({ source: 'ps/rk', updatedAt: '2025-01-06 10:11:00.123456+08', key: '42' });
    expect(again.offsets()).toEqual(new Map([[0, '5'], [2, '17']]));
    expect(again.known(['a']).size).toBe(1);
    again.close();
  });
});
