import { describe, expect, it } from 'vitest';
import { type RecordEventType, eventTypes, sensitiveFields } from '@hub/schemas';
import { beijingDate } from '../dates.ts';
import { simulatedRegion } from '../places.ts';
import { mulberry32 } from '../random.ts';
import { resourceSimulator } from '../records.ts';
import { canonicalRecord, valueAt } from './published.ts';
import { ownerOf, plannedSubscriptions, subscriptionKey, subscriptionTable } from './subscriptions.ts';

const resources = new Map<string, RecordEventType>(eventTypes.flatMap((t) => (t.area === 'records' ? [[t.catalogue.resourceCode, t] as const] : [])));

describe('the subscription table', () => {
  it('names resources of the catalogue, of another department, each pair once', () => {
    for (const s of subscriptionTable) {
      expect(resources.has(s.resource), s.resource).toBe(true);
      expect(ownerOf(s.resource)).toBe(resources.get(s.resource)?.catalogue.ownerDepartment);
      expect(s.subscriber).not.toBe(ownerOf(s.resource));
      expect(s.purpose.length).toBeGreaterThan(0);
    }
    expect(new Set(subscriptionTable.map(subscriptionKey)).size).toBe(subscriptionTable.length);
  });

  it('has the flows the issue names: civil to resident identity and social insurance, market to tax clearance, housing to land titles', () => {
    const pairs = subscriptionTable.map(subscriptionKey);
    expect(pairs).toEqual(expect.arrayContaining(['civil>ps.resident-identity', 'civil>hrss.social-insurance-enrolment', 'market>tax.tax-clearance', 'housing>land.real-estate-title']));
  });

  it('verifies fields the records the simulators write do have, and asks unmasked only for sensitive fields', () => {
    const random = mulberry32(7);
    const region = simulatedRegion(random);
    const now = new Date('2026-03-02T02:00:00.000Z');
    for (const s of subscriptionTable) {
      const simulator = resourceSimulator(s.resource);
      const records = Array.from({ length: 20 }, () => canonicalRecord(simulator, simulator.good(random, { region, now, today: beijingDate(now) }), now));
      expect(records.every((r) => r !== undefined), `${s.resource}: the mapping takes what the simulator writes`).toBe(true);
      for (const field of s.verify) expect(records.some((r) => r !== undefined && valueAt(r, field) !== undefined), `${s.resource} ${field}`).toBe(true);
      const sensitive = sensitiveFields(resources.get(s.resource)!.name).map((f) => f.path);
      for (const field of s.fields ?? []) expect(sensitive, `${s.resource} ${field}`).toContain(field);
    }
  });
});

describe('plannedSubscriptions', () => {
  it('plays the subscriptions whose subscriber and owner are simulated, and names those whose owner is not', () => {
    const { planned, leftOut } = plannedSubscriptions(['tax', 'ps', 'land', 'market', 'civil']);
    expect(planned.map(subscriptionKey)).toEqual([
      'civil>ps.resident-identity',
      'civil>land.real-estate-title',
      'market>tax.tax-clearance',
      'market>ps.resident-identity',
      'tax>market.business-licence',
      'tax>land.real-estate-title',
      'land>tax.tax-clearance',
      'land>ps.resident-identity',
      'land>market.business-licence',
      'ps>civil.marriage-registration',
    ]);
    expect(leftOut).toEqual(['civil → hrss.social-insurance-enrolment (hrss)']);
    expect(plannedSubscriptions(['tax', 'ps', 'land', 'market', 'civil', 'hrss', 'housing']).planned).toHaveLength(subscriptionTable.length);
    expect(plannedSubscriptions(['ps']).planned).toEqual([]);
  });
});
