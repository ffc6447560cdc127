import type { CatalogueResource } from '@hub/catalogue-client';
import { encodeEvent, decodeEvent, type EventName, type RealEstateTitle } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { beforeAll, describe, expect, it } from 'vitest';
import { FieldPathError } from '@hub/router';
import { hubCatalogue, recordTypes, simulatedApplications, simulatedRecords, type ResourceRecords } from './fixtures.ts';
import {
  maskAddress,
  maskCreditCode,
  maskIdNumber,
  maskName,
  maskPhone,
  maskRecord,
  maskValue,
  UnmaskableValueError,
  type FieldTags,
} from '@hub/router';

const stars = (n: number) => '*'.repeat(n);

describe('the masks, one rule per sensitive tag', () => {
  it.each([
    ['450102199003071234', '450102********1234'],
    ['45010219900307123X', '450102********123X'],
    ['45010219900307123x', '450102********123x'],
    ['450102900307123', '450102*****7123'], // a 15-digit legacy number
    ['４５０１０２１９９００３０７１２３Ｘ', '４５０１０２********１２３Ｘ'], // full width: characters, not bytes
    ['45010219900', '450102*9900'],
    ['4501021990', '**********'], // no longer than what is kept: masked whole
    ['450', '***'],
    ['', ''],
  ])('ID_NUMBER %s → %s', (value, masked) => {
    expect(maskIdNumber(value)).toBe(masked);
  });

  it.each([
    ['13812345678', '138****5678'],
    ['0771-5551234', '077*****1234'],
    ['+86 138 1234 5678', '+86**********5678'],
    ['12345678', '123*5678'],
    ['5551234', '*******'],
    ['110', '***'],
  ])('PHONE %s → %s', (value, masked) => {
    expect(maskPhone(value)).toBe(masked);
  });

  it.each([
    ['韦建国', '韦**'],
    ['李娜', '李*'],
    ['欧阳娜娜', '欧***'], // a compound surname keeps its first character only
    ['阿卜杜·热合曼', '阿******'], // the middle dot is masked too
    ['𠮷野家', '𠮷**'], // a character outside the BMP counts once
    ['那𡌶', '那*'],
    ['南宁市兴宁区味道餐馆', '南*********'], // an organisation's name as a rights holder or taxpayer
    ['王', '*'],
    ['', ''],
  ])('NAME %s → %s', (value, masked) => {
    expect(maskName(value)).toBe(masked);
  });

  it.each([
    ['91450100198230157L', '91450100********7L'], // company
    ['92450102MA5N3C8E1R', '92450102********1R'], // individual business
    ['450102199003071234', '45010219********34'], // an 18-character taxpayer number
    ['45010219900307123401', '45010219**********01'], // ID number + sequence: birth date and sequence hidden
    ['450102198230157', '45010219*****57'], // legacy 15-character taxpayer number
    ['9145010019', '**********'],
  ])('CREDIT_CODE %s → %s', (value, masked) => {
    expect(maskCreditCode(value)).toBe(masked);
  });

  it.each([
    ['广西壮族自治区南宁市兴宁区民生路88号', `广西壮族自治区南宁市兴宁区${stars(6)}`], // 民生路88号
    ['南宁市青秀区民族大道123号5栋2单元1203室', `南宁市青秀区${stars(18)}`],
    ['南宁市武鸣区城厢镇那马村3组45号', `南宁市武鸣区城厢镇那马村${stars(5)}`],
    ['柳州市融水苗族自治县融水镇新安社区7组12号', `柳州市融水苗族自治县融水镇新安社区${stars(5)}`],
    ['新市路12号', stars(6)], // a road named like a county-level city is no division
    ['No. 12 Minzu Avenue', stars(19)],
    ['广西壮族自治区南宁市青秀区', '广西壮族自治区南宁市青秀区'], // nothing beyond the division: nothing to hide
  ])('ADDRESS %s → %s', (value, masked) => {
    expect(maskAddress(value)).toBe(masked);
  });

  it('keeps the length in characters, for every rule', () => {
    for (const value of ['45010219900307123X', '13812345678', '韦建国', '91450100198230157L', '南宁市武鸣区城厢镇那马村3组45号', '𠮷']) {
      for (const mask of [maskIdNumber, maskPhone, maskName, maskCreditCode, maskAddress]) {
        expect(Array.from(mask(value))).toHaveLength(Array.from(value).length);
      }
    }
  });

  it('combines several sensitive tags: a character shows only where every rule shows it; other tags are ignored', () => {
    expect(maskValue('韦建国', ['NAME'])).toBe('韦**');
    expect(maskValue('45010219900307123X', ['ID_NUMBER', 'CREDIT_CODE'])).toBe('450102**********3X');
    expect(maskValue('广西壮族自治区南宁市兴宁区民生路88号', ['NAME', 'ADDRESS'])).toBe('广******************');
    expect(maskValue('韦建国', ['PII', 'GDPR'])).toBe('韦建国');
    expect(maskValue('韦建国', [])).toBe('韦建国');
  });
});

describe('maskRecord on the records of the hub', () => {
  let catalogue: CatalogueResource[];
  const simulated = new Map<string, ResourceRecords>();
  beforeAll(async () => {
    catalogue = await hubCatalogue();
    for (const type of recordTypes) simulated.set(type.catalogue.resourceCode, simulatedRecords(type, 1000));
    const applications = simulatedApplications(1000);
    simulated.set(applications.resourceCode, applications);
  });
  const resourceOf = (code: string): CatalogueResource => {
    const found = catalogue.find((resource) => resource.resourceCode === code);
    if (found === undefined) throw new Error(`no resource ${code} in the catalogue`);
    return found;
  };

  it('the catalogue lists the sensitive fields of every resource, nested, in arrays and nullable', () => {
    expect(resourceOf('ps.resident-identity').maskedFields).toEqual(['idNumber', 'previousIdNumber', 'name', 'address']);
    expect(resourceOf('land.real-estate-title').maskedFields).toEqual([
      'rightsHolders[].name',
      'rightsHolders[].idNumber',
      'rightsHolders[].creditCode',
      'location',
    ]);
    expect(resourceOf('civil.marriage-registration').maskedFields).toEqual(['partyA.name', 'partyA.idNumber', 'partyB.name', 'partyB.idNumber']);
    expect(resourceOf('market.case-applicants').maskedFields).toEqual(['applicant.name', 'applicant.idNumber', 'applicant.creditCode', 'applicant.phone']);
  });

  it.each([...recordTypes.map((type) => type.catalogue.resourceCode), 'market.case-applicants'])(
    '%s: every tagged value masked by its rule, every other value unchanged, the input untouched, the result still encodes',
    (code) => {
      const resource = resourceOf(code);
      const { name, records } = simulated.get(code) as ResourceRecords;
      const paths = new Set<string>();
      for (const record of records) {
        const before = JSON.stringify(record);
        const { record: masked, maskedFields } = maskRecord(record, resource.taggedFields, []);
        expect(JSON.stringify(record)).toBe(before);
        for (const path of maskedFields) paths.add(path);
        const expected = expectedMasking(record, resource.taggedFields);
        expect(masked).toEqual(expected.record);
        expect(maskedFields).toEqual(expected.maskedFields);
        const bytes = encodeEvent(name as EventName, masked as never);
        expect(decodeEvent(name as EventName, bytes)).toEqual(masked);
        // The same record as the router reads it from Kafka: decoded by avsc into its record classes.
        const decoded = decodeEvent(name as EventName, encodeEvent(name as EventName, record as never));
        expect(maskRecord(decoded, resource.taggedFields, [])).toEqual({ record: masked, maskedFields });
      }
      // Across 1,000 records every sensitive field held a value at least once (optional ones are sometimes null; a corrected ID number is 1 in 100).
      expect([...paths].sort()).toEqual([...resource.maskedFields].sort());
    },
  );

  it('leaves the fields the owner let through, and only those', () => {
    const resource = resourceOf('ps.resident-identity');
    const record = samples.ResidentIdentity;
    const { record: masked, maskedFields } = maskRecord(record, resource.taggedFields, ['idNumber', 'address']);
    expect(masked.idNumber).toBe(record.idNumber);
    expect(masked.address).toBe(record.address);
    expect(masked.name).toBe(maskName(record.name));
    expect(maskedFields).toEqual(['name']); // previousIdNumber is null in the sample: nothing to mask
  });

  it('walks arrays of records, nulls inside them, and shares what it did not change', () => {
    const resource = resourceOf('land.real-estate-title');
    const title: RealEstateTitle = {
      ...samples.RealEstateTitle,
      rightsHolders: [
        { name: '韦建国', idNumber: '45010219800101123X', creditCode: null, share: '50%' },
        { name: '南宁市八桂数字科技有限公司', idNumber: null, creditCode: '91450100198230157L', share: null },
      ],
    };
    const { record, maskedFields } = maskRecord(title, resource.taggedFields, ['rightsHolders[].creditCode']);
    expect(record.rightsHolders).toEqual([
      { name: '韦**', idNumber: '450102********123X', creditCode: null, share: '50%' },
      { name: '南************', idNumber: null, creditCode: '91450100198230157L', share: null },
    ]);
    expect(maskedFields).toEqual(['rightsHolders[].name', 'rightsHolders[].idNumber', 'location']);
    expect(record.area).toBe(title.area);
    expect(record.occurredAt).toBe(title.occurredAt); // the same Date, not a copy
    expect(maskRecord({ ...title, rightsHolders: [] }, resource.taggedFields, []).maskedFields).toEqual(['location']);
  });

  it('maps ({}), arrays of strings, nested arrays and wrapped unions', () => {
    const tagged: FieldTags[] = [
      { path: 'answer', tags: ['ID_NUMBER', 'NAME'] },
      { path: 'contacts{}.phone', tags: ['PHONE'] },
      { path: 'aliases', tags: ['NAME'] },
      { path: 'grid[][].idNumber', tags: ['ID_NUMBER'] },
      { path: 'holder.name', tags: ['NAME'] },
      { path: 'note', tags: ['NAME'] },
    ];
    const record = {
      answer: { name: '韦建国', idNumber: '45010219800101123X' },
      contacts: { home: { phone: '13812345678' }, office: { phone: null } },
      aliases: ['韦一', '韦二'],
      grid: [[{ idNumber: '45010219800101123X' }], []],
      holder: { 'gov.hub.records.land.RightsHolder': { name: '韦建国' } },
      note: { string: '韦建国' },
    };
    const { record: masked, maskedFields } = maskRecord(record, tagged, []);
    expect(masked).toEqual({
      answer: { name: '***', idNumber: `4${stars(17)}` }, // NAME keeps the first character, ID_NUMBER six: the first shows
      contacts: { home: { phone: '138****5678' }, office: { phone: null } },
      aliases: ['韦*', '韦*'],
      grid: [[{ idNumber: '450102********123X' }], []],
      holder: { 'gov.hub.records.land.RightsHolder': { name: '韦**' } },
      note: { string: '韦**' },
    });
    expect(maskedFields).toEqual(['answer', 'contacts{}.phone', 'aliases', 'grid[][].idNumber', 'holder.name', 'note']);
  });

  it('skips absent and null fields; fails closed on a tagged value that is not text, and on a bad path', () => {
    expect(maskRecord({ other: 1 }, [{ path: 'applicant.phone', tags: ['PHONE'] }], [])).toEqual({ record: { other: 1 }, maskedFields: [] });
    expect(maskRecord({ applicant: null }, [{ path: 'applicant.phone', tags: ['PHONE'] }], []).maskedFields).toEqual([]);
    expect(() => maskRecord({ phone: 13812345678 }, [{ path: 'phone', tags: ['PHONE'] }], [])).toThrow(UnmaskableValueError);
    expect(() => maskRecord({ phone: 13812345678 }, [{ path: 'phone', tags: ['PHONE'] }], [])).toThrow(/phone is tagged sensitive but holds a number/);
    expect(() => maskRecord({ applicant: 'x' }, [{ path: 'applicant.phone', tags: ['PHONE'] }], [])).toThrow(UnmaskableValueError);
    expect(() => maskRecord({ a: 1 }, [{ path: 'a..b', tags: ['NAME'] }], [])).toThrow(FieldPathError);
    // An unmaskable value is named by its path, never shown.
    try {
      maskRecord({ phone: 13812345678 }, [{ path: 'phone', tags: ['PHONE'] }], []);
    } catch (error) {
      expect((error as Error).message).not.toContain('13812345678');
    }
  });
});

/** What masking one record must give, written out field by field from the catalogue's paths (the spec's own walk). */
function expectedMasking(record: object, tagged: readonly FieldTags[]): { record: unknown; maskedFields: string[] } {
  const copy = structuredCloneKeepingDates(record);
  const maskedFields: string[] = [];
  for (const { path, tags } of tagged) {
    if (!tags.some((tag) => ['ID_NUMBER', 'NAME', 'ADDRESS', 'PHONE', 'CREDIT_CODE'].includes(tag))) continue;
    let masked = false;
    const segments = path.split('.');
    const visit = (holder: Record<string, unknown>, index: number): void => {
      const segment = segments[index] as string;
      const items = segment.endsWith('[]');
      const key = items ? segment.slice(0, -2) : segment;
      const value = holder[key];
      if (value === null || value === undefined) return;
      const targets = items ? (value as Record<string, unknown>[]) : [value];
      if (index === segments.length - 1) {
        holder[key] = items ? (value as string[]).map((v) => maskValue(v, tags)) : maskValue(value as string, tags);
        masked = true;
        return;
      }
      for (const target of targets) visit(target as Record<string, unknown>, index + 1);
    };
    visit(copy as Record<string, unknown>, 0);
    if (masked) maskedFields.push(path);
  }
  return { record: copy, maskedFields };
}

function structuredCloneKeepingDates<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => structuredCloneKeepingDates(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, structuredCloneKeepingDates(item)])) as T;
  }
  return value;
}
