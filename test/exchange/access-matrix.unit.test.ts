import type { CatalogueResource } from '@hub/catalogue-client';
import { residentIdCheckCharacter } from '@hub/identifiers';
import { decodeEvent, departments, encodeEvent, type EventName, type SharingCondition } from '@hub/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideDelivery, maskForDelivery, type DeliveryAgreement, type DeliveryRefusalReason } from '@hub/router';
import { hubCatalogue, recordTypes, simulatedApplications, simulatedRecords, type ResourceRecords } from './fixtures.ts';

/**
 * The access matrix (共享权限矩阵): every department × every resource of the
 * catalogue × each sharing condition × no agreement, an agreement in each
 * state, a grant masked, a grant with the ID and phone fields let through, a
 * grant for another region, another department's grant. Every delivered
 * record is serialised (Avro, as the envelope's payload, and JSON) and its
 * bytes searched for the original ID numbers and phone numbers.
 */

const RECORDS_PER_RESOURCE = 25;
const conditions: readonly SharingCondition[] = ['unconditional', 'conditional', 'not-shared'];

interface Variant {
  readonly label: string;
  /** The recipient's agreement on the resource, or none. */
  agreement(recipient: string, resource: CatalogueResource): DeliveryAgreement | undefined;
  /** The refusal expected when the resource is shared and the recipient not its owner; undefined: delivered. */
  readonly refused?: DeliveryRefusalReason;
}

const agreementOf = (recipient: string, resource: CatalogueResource, rest: Partial<DeliveryAgreement> = {}): DeliveryAgreement => ({
  agreementId: `AG-${recipient}-${resource.resourceCode}`,
  status: 'granted',
  subscriber: recipient,
  resourceCode: resource.resourceCode as string,
  divisionPrefix: null,
  unmaskedFields: [],
  approvedBy: resource.owner,
  ...rest,
});

/** Paths whose tags say they hold an ID number or a phone number. */
const idAndPhonePaths = (resource: CatalogueResource) =>
  resource.taggedFields.filter((field) => field.tags.includes('ID_NUMBER') || field.tags.includes('PHONE')).map((field) => field.path);

const variants: readonly Variant[] = [
  { label: 'no agreement', agreement: () => undefined, refused: 'no-agreement' },
  ...(['pending', 'refused', 'revoked', 'suspended'] as const).map(
    (status): Variant => ({ label: `a ${status} agreement`, agreement: (r, resource) => agreementOf(r, resource, { status }), refused: 'not-granted' }),
  ),
  { label: "another department's grant", agreement: (r, resource) => agreementOf(r === 'tax' ? 'ps' : 'tax', resource), refused: 'no-agreement' },
  { label: 'a grant for Guangdong only', agreement: (r, resource) => agreementOf(r, resource, { divisionPrefix: '44' }), refused: 'outside-division' },
  { label: 'a grant, every field masked', agreement: (r, resource) => agreementOf(r, resource) },
  { label: 'a grant for Guangxi', agreement: (r, resource) => agreementOf(r, resource, { divisionPrefix: '450000' }) },
  {
    label: 'a grant letting the ID and phone fields through',
    agreement: (r, resource) => agreementOf(r, resource, { unmaskedFields: idAndPhonePaths(resource) }),
  },
];

describe('the access matrix', () => {
  const catalogues = new Map<SharingCondition, CatalogueResource[]>();
  const simulated = new Map<string, ResourceRecords>();
  beforeAll(async () => {
    for (const condition of conditions) catalogues.set(condition, await hubCatalogue(condition));
    // As the router reads them from records.*: Avro, decoded into avsc's record classes.
    const fromKafka = ({ name, resourceCode, records }: ResourceRecords): ResourceRecords => ({
      name,
      resourceCode,
      records: records.map((record) => decodeEvent(name, encodeEvent(name, record as never))),
    });
    for (const type of recordTypes) simulated.set(type.catalogue.resourceCode, fromKafka(simulatedRecords(type, RECORDS_PER_RESOURCE)));
    simulated.set('market.case-applicants', fromKafka(simulatedApplications(RECORDS_PER_RESOURCE)));
  });

  it.each(conditions)('every department × every resource, %s: no delivery without a grant, from a not-shared resource or to the owner; no ID or phone number in clear unless let through', (condition) => {
    const catalogue = catalogues.get(condition) as CatalogueResource[];
    expect(catalogue.map((resource) => resource.resourceCode).sort()).toEqual([...simulated.keys()].sort());
    expect(catalogue.every((resource) => resource.sharing === condition)).toBe(true);

    let delivered = 0;
    let secretsFound = 0;
    let secretsHidden = 0;
    const problems: string[] = [];
    for (const resource of catalogue) {
      const { name, records } = simulated.get(resource.resourceCode as string) as ResourceRecords;
      for (const { code: recipient } of departments) {
        for (const variant of variants) {
          const agreement = variant.agreement(recipient, resource);
          const expected: DeliveryRefusalReason | undefined =
            recipient === resource.owner ? 'own-resource' : condition === 'not-shared' ? 'not-shared' : variant.refused;
          for (const record of records) {
            const divisionCode = (record as { divisionCode: string }).divisionCode;
            const decision = decideDelivery({ resource, recipient, agreement, divisionCode });
            const where = `${resource.resourceCode} → ${recipient}, ${variant.label}`;
            if (!decision.deliver) {
              if (decision.reason !== expected) problems.push(`${where}: refused for ${decision.reason}, expected ${expected ?? 'a delivery'}`);
              continue;
            }
            if (expected !== undefined) {
              problems.push(`${where}: delivered, expected a refusal for ${expected}`);
              continue;
            }
            delivered += 1;
            const { record: masked, maskedFields } = maskForDelivery(record, resource, decision);
            const payload = encodeEvent(name as EventName, masked as never);
            const json = Buffer.from(JSON.stringify(masked));
            if (maskedFields.some((path) => decision.unmaskedFields.includes(path))) problems.push(`${where}: masked a field let through`);

            const letThrough = valuesAt(record, decision.unmaskedFields);
            for (const secret of secretsOf(record, resource)) {
              const inClear = payload.includes(secret) || json.includes(secret);
              const allowed = letThrough.some((value) => value.includes(secret));
              if (inClear && !allowed) problems.push(`${where}: ${maskedFields.join(', ')} masked, yet an ID or phone number is in the bytes`);
              if (!inClear && allowed) problems.push(`${where}: a field let through is not in the bytes`);
              if (inClear) secretsFound += 1;
              else secretsHidden += 1;
            }
          }
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);

    const owners = new Set(catalogue.map((resource) => resource.owner));
    const grantsThatDeliver = variants.filter((variant) => variant.refused === undefined).length;
    if (condition === 'not-shared') {
      expect(delivered).toBe(0);
    } else {
      // Each resource goes to the six departments that do not own it, under the three delivering grants.
      expect(delivered).toBe(catalogue.length * (departments.length - 1) * grantsThatDeliver * RECORDS_PER_RESOURCE);
      expect(owners.size).toBeGreaterThan(1);
      // The scan looked at real numbers: hidden under the masking grants, found where they were let through.
      expect(secretsHidden).toBeGreaterThan(0);
      expect(secretsFound).toBeGreaterThan(0);
    }
  });
});

/**
 * The original ID numbers and phone numbers of a record: the values of its ID
 * and phone fields, and an ID number inside any other sensitive value (an
 * individual business's taxpayer number is an ID number and a sequence).
 * Only sensitive values are read for them: a construction permit number
 * (county, issue date, sequence) has the very shape of an ID number.
 */
function secretsOf(record: object, resource: CatalogueResource): string[] {
  const secrets = new Set<string>();
  const pathsTagged = (tag: string) => resource.taggedFields.filter((field) => field.tags.includes(tag)).map((field) => field.path);
  for (const value of valuesAt(record, [...pathsTagged('ID_NUMBER'), ...pathsTagged('PHONE')])) if (value.length >= 7) secrets.add(value);
  for (const text of valuesAt(record, resource.maskedFields)) {
    for (const match of text.matchAll(/\d{17}[\dX]/gi)) {
      const number = match[0].toUpperCase();
      if (residentIdCheckCharacter(number.slice(0, 17)) === number.charAt(17)) secrets.add(match[0]);
    }
  }
  return [...secrets];
}

/** The text values at catalogue paths (dots and []) of a record. */
function valuesAt(record: object, paths: readonly string[]): string[] {
  const found: string[] = [];
  for (const path of paths) {
    let values: unknown[] = [record];
    for (const segment of path.split('.')) {
      const items = segment.endsWith('[]');
      const key = items ? segment.slice(0, -2) : segment;
      values = values.flatMap((value) => {
        const child = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
        return items && Array.isArray(child) ? child : [child];
      });
    }
    for (const value of values) if (typeof value === 'string') found.push(value);
  }
  return found;
}
