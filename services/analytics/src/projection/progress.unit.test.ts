import { describe, expect, it } from 'vitest';
import { ProgressBar, progressLine } from './progress.ts';

describe('the rebuild\'s progress', () => {
  it('shows the share, the count, the rate and the time left', () => {
    expect(progressLine(50_000, 200_000, 2)).toBe('[######..................]  25% 50,000/200,000 events · 25,000 events/s · ETA 0:06');
  });

  it('writes a line at the start and every 5 % when stderr is not a terminal', () => {
    const lines: string[] = [];
    const bar = new ProgressBar({ isTTY: false, write: (text) => lines.push(text) }, 100, 0);
    for (let done = 1; done <= 100; done += 1) bar.update(done, 1_000);
    expect(lines).toHaveLength(21);
  });
});
