import { describe, expect, it } from 'vitest';
import { createLogger } from '@hub/runtime';
import { Catalog } from '../catalog.ts';
import { listResources } from '../catalogue/resources.ts';
import { InMemoryLog, inMemorySchemaStore } from '../store/in-memory-store.ts';
import { hubSubjects, seedHubSchemas } from './hub-schemas.ts';

describe("the hub's schemas", () => {
  it('name the subjects the topics use, per department where the topic is', () => {
    const subjects = hubSubjects().map((s) => s.subject);
    expect(subjects).toContain('records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity');
    expect(subjects).toContain('cases.events-gov.hub.cases.CaseSubmitted');
    expect(subjects).toContain('deliveries.tax-gov.hub.delivery.DeliveryEnvelope');
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('all register, history first, with valid catalogue metadata, and again without writing anything', async () => {
    const log = new InMemoryLog();
    const catalog = new Catalog(inMemorySchemaStore(log));
    await catalog.open();
    const warnings: unknown[] = [];
    const logger = createLogger('seed-test', 'silent');
    logger.warn = ((...args: unknown[]) => { warnings.push(args); }) as typeof logger.warn;
    await seedHubSchemas(catalog, logger);
    expect(warnings).toEqual([]);
    const versions = [...catalog.state.subjects.values()].reduce((n, v) => n + v.size, 0);
    expect(versions).toBe(hubSubjects().reduce((n, s) => n + s.versions.length, 0));
    const written = log.events.length;
    await seedHubSchemas(catalog, logger);
    expect(log.events).toHaveLength(written);

    const resident = listResources(catalog.state, { department: 'ps' }).find((r) => r.resourceCode === 'ps.resident-identity');
    expect(resident).toMatchObject({ owner: 'ps', sharing: 'conditional', title: '人口基本信息' });
    expect(resident?.maskedFields).toContain('idNumber');
  });
});
