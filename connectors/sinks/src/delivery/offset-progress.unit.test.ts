import { describe, expect, it } from 'vitest';
import { PartitionProgress } from './offset-progress.ts';

describe('PartitionProgress', () => {
  it('commits only up to the first message still in flight', () => {
    const progress = new PartitionProgress();
    for (const offset of ['10', '11', '12', '13']) progress.track(offset);
    expect(progress.finish('12')).toBeUndefined();
    expect(progress.finish('11')).toBeUndefined();
    expect(progress.committable).toBeUndefined();
    expect(progress.finish('10')).toBe('12');
    expect(progress.inFlight).toBe(1);
    expect(progress.finish('13')).toBe('13');
    expect(progress.inFlight).toBe(0);
  });

  it('handles offsets beyond 2^53 and gaps left by compaction or transaction markers', () => {
    const progress = new PartitionProgress();
    progress.track('9007199254740993');
    progress.track('9007199254740999');
    expect(progress.finish('9007199254740993')).toBe('9007199254740993');
    expect(progress.finish('9007199254740999')).toBe('9007199254740999');
  });

  it('refuses offsets out of order', () => {
    const progress = new PartitionProgress();
    progress.track('5');
    expect(() => progress.track('5')).toThrow(RangeError);
  });
});
