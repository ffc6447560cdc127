// Shared by the exchange specs: the catalogue as the catalog builds it from the
// hub's own schemas (registered in an in-memory catalog, listed with its
// listResources), and records of every resource as the department simulators
// write them and the connectors map them, so masking and the access matrix run
// on the shapes and values the hub really carries.
import { Catalog, InMemoryLog, inMemorySchemaStore, listResources } from '@hub/catalog';
import type { CatalogueResource } from '@hub/catalogue-client';
import { recordEventId } from '@hub/connector-core';
import { samples } from '@hub/schemas/samples';
import { eventTypes, schemaHistory, type CaseSubmitted, type EventName, type EventTypeMap, type RecordEventType, type SharingCondition } from '@hub/schemas';
import { beijingDate, caseSubmission, mulberry32, resourceSimulator, simulatedRegion } from '@hub/simulators';

export const now = new Date('2025-06-01T04:00:00.000Z');
export const region = simulatedRegion(mulberry32(7));
export const context = { region, now, today: beijingDate(now) };

export const recordTypes: readonly RecordEventType[] = eventTypes.filter((type): type is RecordEventType => type.area === 'records');

/**
 * The hub's only schema with a PHONE tag is the case applicant's (申请人联系电话),
 * so the access matrix adds one resource built from it, registered like the
 * others, to have phone numbers to look for.
 */
export const APPLICANTS = {
  name: 'CaseSubmitted',
  subject: 'records.market.case-applicants-gov.hub.cases.CaseSubmitted',
  properties: { owner: 'market', resourceCode: 'market.case-applicants', title: '办件申请人信息（测试资源）', updateCycle: 'real-time' },
} as const;

export interface ResourceRecords<N extends EventName = EventName> {
  readonly name: N;
  readonly resourceCode: string;
  readonly records: readonly EventTypeMap[N][];
}

/**
 * The catalogue (政务信息资源目录) the catalog lists after registering every
 * record resource of the hub (schema history first) with its catalogue
 * metadata, and the applicants resource; `sharing` pretends one condition for all.
 */
export async function hubCatalogue(sharing?: SharingCondition): Promise<CatalogueResource[]> {
  const catalog = new Catalog(inMemorySchemaStore(new InMemoryLog()));
  await catalog.open();
  const register = async (subject: string, name: EventName, properties: Record<string, string>) => {
    for (const { schema } of schemaHistory(name)) {
      await catalog.execute({ type: 'RegisterSchema', data: { subject, schema: JSON.stringify(schema), metadata: { properties } } });
    }
  };
  for (const type of recordTypes) {
    const { ownerDepartment, resourceCode, title, sharingCondition, updateCycle } = type.catalogue;
    await register(type.subject, type.name, { owner: ownerDepartment, resourceCode, title, updateCycle, sharing: sharing ?? sharingCondition });
  }
  await register(APPLICANTS.subject, APPLICANTS.name, { ...APPLICANTS.properties, sharing: sharing ?? 'conditional' });
  await catalog.close();
  return listResources(catalog.state).filter((resource) => resource.resourceCode !== null);
}

/** `count` good records of a record resource: simulated native records mapped by the resource's connector, with their event ids. */
export function simulatedRecords(type: RecordEventType, count: number, seed = 2025): ResourceRecords {
  const simulator = resourceSimulator(type.catalogue.resourceCode);
  const random = mulberry32(seed);
  const records: EventTypeMap[EventName][] = [];
  while (records.length < count) {
    const native = simulator.good(random, context);
    const mapped = simulator.mapping.map(native, { now, department: simulator.department });
    if (!mapped.ok) throw new Error(`a good ${type.catalogue.resourceCode} record did not map: ${JSON.stringify(mapped.errors)}`);
    const eventId = recordEventId(simulator.department, simulator.resource, simulator.mapping.naturalKey(native), native);
    records.push({ ...mapped.record, eventId } as EventTypeMap[EventName]);
  }
  return { name: type.name, resourceCode: type.catalogue.resourceCode, records };
}

/** `count` case submissions by residents and organisations of the region, as the window simulator applies, with a phone each. */
export function simulatedApplications(count: number, seed = 2025): ResourceRecords<'CaseSubmitted'> {
  const random = mulberry32(seed);
  const items = [
    { itemCode: '11450100MB190375424000118002000', name: '不动产转移登记' },
    { itemCode: '11450100MB1534568L4000117005000', name: '食品经营许可（新办）' },
  ];
  const records: CaseSubmitted[] = [];
  for (let i = 0; i < count; i += 1) {
    const body = caseSubmission(random, region, items[i % items.length] as (typeof items)[number], context.today);
    const { applicant } = body;
    records.push({
      ...samples.CaseSubmitted,
      eventId: `case-${i}:1`,
      caseId: `NN-${body.divisionCode}-20250601-${String(i).padStart(6, '0')}`,
      applicant: {
        kind: applicant.type === 'person' ? 'PERSON' : 'ORGANISATION',
        name: applicant.name,
        idNumber: applicant.idNumber ?? null,
        creditCode: applicant.creditCode ?? null,
        phone: applicant.phone ?? null,
      },
      itemCode: body.itemCode,
      itemName: body.itemName,
      divisionCode: body.divisionCode,
    });
  }
  return { name: 'CaseSubmitted', resourceCode: APPLICANTS.properties.resourceCode, records };
}
