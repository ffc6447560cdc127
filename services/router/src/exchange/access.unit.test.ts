import { samples } from '@hub/schemas/samples';
import { describe, expect, it } from 'vitest';
import { decideDelivery, maskForDelivery, withinRegion, type DeliveryAgreement, type DeliveryQuestion, type SharedResource } from './access.ts';
import { residents } from './fixtures.ts';


const granted: DeliveryAgreement = {
  agreementId: 'AG-0A1B2C3D4E5F60718293',
  status: 'granted',
  subscriber: 'civil',
  resourceCode: 'ps.resident-identity',
  divisionPrefix: null,
  unmaskedFields: [],
  approvedBy: 'ps',
};

const ask = (overrides: Partial<DeliveryQuestion> = {}): DeliveryQuestion => ({
  resource: residents,
  recipient: 'civil',
  agreement: granted,
  divisionCode: '450102001001',
  ...overrides,
});

describe('decideDelivery: who receives a record, and what stays unmasked', () => {
  it('given a granted agreement, when a record of its region comes, then it is delivered with every sensitive field masked', () => {
    expect(decideDelivery(ask())).toEqual({
      deliver: true,
      agreementId: granted.agreementId,
      unmaskedFields: [],
      maskedFields: ['idNumber', 'previousIdNumber', 'name', 'address'],
    });
  });

  it('leaves unmasked the fields the owner let through, and ignores paths that are not sensitive fields of the resource', () => {
    const decision = decideDelivery(ask({ agreement: { ...granted, unmaskedFields: ['name', 'ethnicity', 'partyA.name'] } }));
    expect(decision).toMatchObject({ deliver: true, unmaskedFields: ['name'], maskedFields: ['idNumber', 'previousIdNumber', 'address'] });
  });

  it('masks an unconditional resource too: a grant by the hub lets nothing through', () => {
    const licences: SharedResource = {
      resourceCode: 'market.business-licence',
      owner: 'market',
      sharing: 'unconditional',
      taggedFields: [{ path: 'creditCode', tags: ['CREDIT_CODE'] }, { path: 'legalRepresentative', tags: ['NAME'] }],
      maskedFields: ['creditCode', 'legalRepresentative'],
    };
    const byHub = { ...granted, resourceCode: 'market.business-licence', approvedBy: null };
    expect(decideDelivery(ask({ resource: licences, agreement: byHub }))).toMatchObject({ deliver: true, unmaskedFields: [], maskedFields: ['creditCode', 'legalRepresentative'] });
    const byOwner = { ...byHub, approvedBy: 'market', unmaskedFields: ['creditCode'] };
    expect(decideDelivery(ask({ resource: licences, agreement: byOwner }))).toMatchObject({ deliver: true, unmaskedFields: ['creditCode'] });
  });

  it.each([
    ['its own resource', ask({ recipient: 'ps', agreement: { ...granted, subscriber: 'ps' } }), 'own-resource'],
    ['a not-shared resource, even under a granted agreement', ask({ resource: { ...residents, sharing: 'not-shared' } }), 'not-shared'],
    ['a resource without a sharing condition', ask({ resource: { ...residents, sharing: null } }), 'not-shared'],
    ['a resource with an unknown sharing condition', ask({ resource: { ...residents, sharing: 'open' } }), 'not-shared'],
    ['a resource without an owner', ask({ resource: { ...residents, owner: null } }), 'not-shared'],
    ['no agreement', ask({ agreement: undefined }), 'no-agreement'],
    ["another department's agreement", ask({ recipient: 'tax' }), 'no-agreement'],
    ['an agreement on another resource', ask({ agreement: { ...granted, resourceCode: 'ps.vehicles' } }), 'no-agreement'],
    ['a pending agreement', ask({ agreement: { ...granted, status: 'pending' } }), 'not-granted'],
    ['a refused agreement', ask({ agreement: { ...granted, status: 'refused' } }), 'not-granted'],
    ['a revoked agreement', ask({ agreement: { ...granted, status: 'revoked' } }), 'not-granted'],
    ['a suspended agreement', ask({ agreement: { ...granted, status: 'suspended' } }), 'not-granted'],
    ['a grant by the hub, the resource conditional since', ask({ agreement: { ...granted, approvedBy: null } }), 'condition-changed'],
    ['a record outside the agreed region', ask({ agreement: { ...granted, divisionPrefix: '4503' } }), 'outside-division'],
    ['a record without a division, the agreement limited to a region', ask({ divisionCode: null, agreement: { ...granted, divisionPrefix: '45' } }), 'outside-division'],
  ])('refuses %s', (_, question, reason) => {
    const decision = decideDelivery(question);
    expect(decision).toMatchObject({ deliver: false, reason });
  });

  it('never names the record\'s own division in a refusal: the refusal goes to the recipient', () => {
    const decision = decideDelivery(ask({ agreement: { ...granted, divisionPrefix: '4503' } }));
    expect(decision.deliver === false && decision.message).not.toContain('450102');
  });

  it('maskForDelivery masks by the tags and also what maskedFields lists without a sensitive tag', () => {
    const decision = decideDelivery(ask({ agreement: { ...granted, unmaskedFields: ['address'] } }));
    if (!decision.deliver) throw new Error(decision.message);
    const record = { ...samples.ResidentIdentity, previousIdNumber: '450102199003071218' };
    const { record: masked, maskedFields } = maskForDelivery(record, residents, decision);
    expect(masked).toMatchObject({ idNumber: '450102********1233', previousIdNumber: '450102********1218', name: '韦**', address: record.address });
    expect(maskedFields).toEqual(['idNumber', 'previousIdNumber', 'name']);
    const stale: SharedResource = { ...residents, taggedFields: [], maskedFields: ['name'] };
    expect(maskForDelivery(record, stale, { ...decision, unmaskedFields: [] }).record.name).toBe('韦**');
  });
});

describe('withinRegion: the region of an agreement', () => {
  it.each([
    ['450102001001', '45', true],
    ['450102001001', '4501', true],
    ['450102001001', '450100', true], // a city code rolls up by level: 4501
    ['450102001001', '450000', true],
    ['450102001001', '450102001', true],
    ['450102001001', '450102001001', true],
    ['450102', '450102000000', true], // the county written as 12 digits
    ['450102000000', '450102', true],
    ['450102001001', '4503', false],
    ['450102001001', '450102002', false],
    ['450102', '450102001', false], // a county record is not within one of its towns
    ['450102', '4401', false],
    ['4501', '45', false], // not a division code
    ['', '45', false],
    [null, '45', false],
    ['450102', '45ab', false],
  ])('%s within %s: %s', (code, prefix, within) => {
    expect(withinRegion(code, prefix)).toBe(within);
  });
});
