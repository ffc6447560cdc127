import { describe, expect, it } from 'vitest';
import { beijingDate } from './dates.ts';
import { simulatedRegion } from './places.ts';
import { mulberry32 } from './random.ts';
import { resourceSimulators, simulateRecords } from './records.ts';

const now = new Date('2025-06-01T04:00:00.000Z');
const region = simulatedRegion(mulberry32(7));
const context = { region, now, today: beijingDate(now) };

describe('simulated native records', () => {
  it.each(resourceSimulators.map((simulator) => ({ code: `${simulator.department}.${simulator.resource}`, simulator })))(
    '$code: 10,000 records, a tenth bad; every good one maps, every bad one fails on its spoilt field',
    ({ simulator }) => {
      const random = mulberry32(2025);
      let good = 0;
      let bad = 0;
      const failures: string[] = [];
      for (const { native, defect } of simulateRecords(simulator, random, context, { badShare: 0.1, count: 10_000 })) {
        const result = simulator.mapping.map(native, { now, department: simulator.department });
        if (defect === undefined) {
          good += 1;
          if (!result.ok && failures.length < 5) failures.push(`good record failed: ${JSON.stringify(result.errors)} ${JSON.stringify(native)}`);
        } else {
          bad += 1;
          if (result.ok) failures.push(`bad record mapped: ${defect.description} ${JSON.stringify(native)}`);
          else if (!result.errors.some((e) => e.field === defect.field)) {
            failures.push(`bad record failed elsewhere: ${defect.description} → ${JSON.stringify(result.errors)}`);
          }
        }
        if (failures.length >= 5) break;
      }
      expect(failures).toEqual([]);
      expect(bad).toBeGreaterThan(800);
      expect(bad).toBeLessThan(1200);
      expect(good + bad).toBe(10_000);
    },
  );
});
