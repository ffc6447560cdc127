import { describe, expect, it } from 'vitest';
import { sexFromGbCode, sexGbCodes } from './codes.ts';
import { departments, isDepartmentCode } from './departments.ts';
import { eventType, eventTypes, subjectName, topicFor } from './manifest.ts';
import { sensitiveFields } from './tags.ts';

describe('manifest', () => {
  it('names subjects by TopicRecordNameStrategy', () => {
    expect(eventType('CaseSubmitted').subject).toBe('cases.events-gov.hub.cases.CaseSubmitted');
    expect(eventType('ResidentIdentity').subject).toBe('records.ps.resident-identity-gov.hub.records.ps.ResidentIdentity');
    expect(subjectName(topicFor('DeliveryEnvelope', 'tax'), eventType('DeliveryEnvelope').fullName)).toBe(
      'deliveries.tax-gov.hub.delivery.DeliveryEnvelope',
    );
  });

  it('keys item definitions (事项) by item code on their own topic', () => {
    expect(eventType('ItemDefined')).toMatchObject({
      area: 'items',
      fullName: 'gov.hub.items.ItemDefined',
      file: 'avro/items/ItemDefined.avsc',
      topic: 'items.events',
      subject: 'items.events-gov.hub.items.ItemDefined',
      keyFields: ['itemCode'],
    });
  });

  it('keys sharing agreements (共享协议) by agreement id, every event of one on exchange.agreements', () => {
    const agreements = eventTypes.filter((entry) => entry.topic === 'exchange.agreements');
    expect(agreements.map((entry) => entry.name)).toEqual([
      'AgreementRequested',
      'AgreementGranted',
      'AgreementRefused',
      'AgreementRevoked',
      'AgreementSuspended',
      'AgreementReinstated',
    ]);
    for (const entry of agreements) {
      expect(entry).toMatchObject({ area: 'exchange', namespace: 'gov.hub.exchange', file: `avro/exchange/${entry.name}.avsc`, keyFields: ['agreementId'] });
    }
    expect(eventType('AgreementGranted').subject).toBe('exchange.agreements-gov.hub.exchange.AgreementGranted');
  });

  it('resolves per-department topics only with a department', () => {
    expect(topicFor('DeliveryEnvelope', 'civil')).toBe('deliveries.civil');
    expect(() => topicFor('DeliveryEnvelope')).toThrow(/pass the department/);
    expect(topicFor('CaseAccepted', 'tax')).toBe('cases.events');
  });

  it('gives every record resource its catalogue entry, owned by a known department', () => {
    const records = eventTypes.filter((entry) => entry.area === 'records');
    expect(records).toHaveLength(10);
    for (const entry of records) {
      const { ownerDepartment, resourceCode } = entry.catalogue;
      expect(isDepartmentCode(ownerDepartment)).toBe(true);
      expect(resourceCode.startsWith(`${ownerDepartment}.`)).toBe(true);
      expect(entry.topic).toBe(`records.${resourceCode}`);
      expect(entry.namespace).toBe(`gov.hub.records.${ownerDepartment}`);
    }
    expect(new Set(records.map((entry) => entry.catalogue.ownerDepartment))).toEqual(new Set(departments.map((d) => d.code)));
  });

  it('refuses unknown names', () => {
    expect(() => eventType('CaseLost' as never)).toThrow(/unknown event type/);
  });
});

describe('sensitive fields (脱敏)', () => {
  it('finds tags in nested records, arrays and named references', () => {
    expect(sensitiveFields('CaseSubmitted')).toEqual([
      { path: 'applicant.name', tags: ['NAME'] },
      { path: 'applicant.idNumber', tags: ['ID_NUMBER'] },
      { path: 'applicant.creditCode', tags: ['CREDIT_CODE'] },
      { path: 'applicant.phone', tags: ['PHONE'] },
    ]);
    expect(sensitiveFields('RealEstateTitle').map((field) => field.path)).toEqual([
      'rightsHolders[].name',
      'rightsHolders[].idNumber',
      'rightsHolders[].creditCode',
      'location',
    ]);
    expect(sensitiveFields('MarriageRegistration').map((field) => field.path)).toEqual([
      'partyA.name',
      'partyA.idNumber',
      'partyB.name',
      'partyB.idNumber',
    ]);
  });

  it('marks the identity fields of every personal record', () => {
    const tagged = (name: Parameters<typeof sensitiveFields>[0]) => sensitiveFields(name).flatMap((field) => field.tags);
    expect(tagged('ResidentIdentity')).toEqual(expect.arrayContaining(['ID_NUMBER', 'NAME', 'ADDRESS']));
    expect(tagged('SocialAssistance')).toEqual(expect.arrayContaining(['ID_NUMBER', 'NAME', 'ADDRESS']));
    expect(tagged('BusinessLicence')).toEqual(['CREDIT_CODE', 'NAME']);
  });
});

describe('GB/T 2261.1 sex codes', () => {
  it('map both ways', () => {
    for (const [sex, code] of Object.entries(sexGbCodes)) expect(sexFromGbCode(code)).toBe(sex);
    expect(() => sexFromGbCode('男')).toThrow(/GB\/T 2261.1/);
  });
});
