import { loadSchema } from '@hub/schemas';
import { samples } from '@hub/schemas/samples';
import { describe, expect, it } from 'vitest';
import type { DeliveryAgreement } from '../exchange/access.ts';
import { answerOf, decideQuestion, decideResponse, isOverdue, timeoutAnswer, VALUES_NOT_HELD } from './decide.ts';
import type { DataQuestion, DataRequest, OwnerResponse } from './question.ts';
import { questionProblems, recordKeyOf, resourceShape, strayFields } from './shape.ts';
import { residents } from '../exchange/fixtures.ts';

const shape = resourceShape('ps.resident-identity', loadSchema('ResidentIdentity'), ['idNumber']);

const granted: DeliveryAgreement = {
  agreementId: 'AG-HOUSING-0001',
  status: 'granted',
  subscriber: 'housing',
  resourceCode: 'ps.resident-identity',
  divisionPrefix: null,
  unmaskedFields: [],
  approvedBy: 'ps',
};

/** A resident of Nanning's Qingxiu district (the hub's own sample record). */
const resident = { ...samples.ResidentIdentity, idNumber: '450102198503121233', name: '韦建国', divisionCode: '450103', address: '广西壮族自治区南宁市青秀区民族大道100号' };
const at = new Date('2025-03-12T01:00:00.000Z');

const question = (extra: Partial<DataQuestion> = {}): DataQuestion => ({
  requestId: 'DR-01JQ0000000000000000000000',
  requester: 'housing',
  resourceCode: 'ps.resident-identity',
  key: { idNumber: '450102198503121233' },
  purpose: '公租房申请资格审核',
  at,
  ...extra,
});

describe('a data request answered from the hub’s state', () => {
  it('given a granted agreement and the record, when asked, then the record is answered with its sensitive fields masked', () => {
    const decision = decideQuestion({ question: question(), resource: residents, agreements: [granted], record: resident, deadlineMs: 30_000 });
    expect(decision).toMatchObject({ type: 'Answered', data: { agreementId: granted.agreementId, maskedFields: ['idNumber', 'name', 'address'], sourceEventId: resident.eventId } });
    if (decision.type !== 'Answered') throw new Error(decision.type);
    expect(decision.data.record).toMatchObject({ idNumber: '450102********1233', name: '韦**', address: '广西壮族自治区南宁市青秀区********', divisionCode: '450103', sex: resident.sex });
    expect(answerOf('DR-1', decision)).toEqual({ requestId: 'DR-1', status: 'answered', record: decision.data.record, maskedFields: ['idNumber', 'name', 'address'] });
  });

  it('leaves unmasked what the owner let through', () => {
    const decision = decideQuestion({ question: question(), resource: residents, agreements: [{ ...granted, unmaskedFields: ['name'] }], record: resident, deadlineMs: 30_000 });
    expect(decision).toMatchObject({ type: 'Answered', data: { record: { name: '韦建国', idNumber: '450102********1233' }, maskedFields: ['idNumber', 'address'] } });
  });

  it('given the record, when asked to verify, then only whether each value matches, and nothing of the record', () => {
    const decision = decideQuestion({
      question: question({ verify: { name: '韦建国', divisionCode: '450102', idNumber: '450102198503121233' } }),
      resource: residents,
      agreements: [granted],
      record: resident,
      deadlineMs: 30_000,
    });
    expect(decision).toEqual({ type: 'Verified', data: { agreementId: granted.agreementId, matches: { name: true, divisionCode: false, idNumber: true }, sourceEventId: resident.eventId } });
    const answer = answerOf('DR-1', decision as Exclude<typeof decision, { type: 'Forwarded' }>);
    expect(answer).toEqual({ requestId: 'DR-1', status: 'answered', matches: { name: true, divisionCode: false, idNumber: true } });
    expect(JSON.stringify(answer)).not.toContain('韦');
  });

  it('given no record of the key, when asked, then not found', () => {
    expect(decideQuestion({ question: question(), resource: residents, agreements: [granted], record: undefined, deadlineMs: 30_000 })).toEqual({ type: 'NotFound', data: { agreementId: granted.agreementId } });
  });

  it('given no agreement, when asked, then refused with the reason, whether or not the record exists', () => {
    for (const record of [resident, undefined]) {
      const decision = decideQuestion({ question: question(), resource: residents, agreements: [], record, deadlineMs: 30_000 });
      expect(decision).toEqual({ type: 'Refused', data: { agreementId: null, reason: 'no-agreement', message: 'housing has no agreement on ps.resident-identity' } });
    }
  });

  it('refuses a resource that is not shared, a pending agreement, and the owner asking of its own resource', () => {
    expect(decideQuestion({ question: question(), resource: { ...residents, sharing: 'not-shared' }, agreements: [granted], record: resident, deadlineMs: 1 })).toMatchObject({ type: 'Refused', data: { reason: 'not-shared', agreementId: null } });
    expect(decideQuestion({ question: question(), resource: residents, agreements: [{ ...granted, status: 'pending' }], record: resident, deadlineMs: 1 })).toMatchObject({ type: 'Refused', data: { reason: 'not-granted', agreementId: granted.agreementId } });
    expect(decideQuestion({ question: question({ requester: 'ps' }), resource: residents, agreements: [], record: resident, deadlineMs: 1 })).toMatchObject({ type: 'Refused', data: { reason: 'own-resource' } });
  });

  it('given an agreement for another region, when the record lies outside it, then refused without the record’s division in the reason; a key the hub lacks is not found', () => {
    const guilin = { ...granted, divisionPrefix: '450300' };
    const decision = decideQuestion({ question: question(), resource: residents, agreements: [guilin], record: resident, deadlineMs: 1 });
    expect(decision).toMatchObject({ type: 'Refused', data: { reason: 'outside-division', agreementId: granted.agreementId } });
    expect(JSON.stringify(decision)).not.toContain('450103');
    expect(decideQuestion({ question: question(), resource: residents, agreements: [guilin], record: undefined, deadlineMs: 1 })).toMatchObject({ type: 'NotFound' });
  });

  it('answers under the first agreement that lets the record go, and refuses with the first one’s reason when none does', () => {
    const guilin = { ...granted, agreementId: 'AG-GUILIN', divisionPrefix: '450300' };
    const nanning = { ...granted, agreementId: 'AG-NANNING', divisionPrefix: '4501', unmaskedFields: ['name'] };
    expect(decideQuestion({ question: question(), resource: residents, agreements: [guilin, nanning], record: resident, deadlineMs: 1 })).toMatchObject({ type: 'Answered', data: { agreementId: 'AG-NANNING', record: { name: '韦建国' } } });
    expect(decideQuestion({ question: question(), resource: residents, agreements: [guilin, { ...nanning, status: 'revoked' }], record: resident, deadlineMs: 1 })).toMatchObject({ type: 'Refused', data: { agreementId: 'AG-GUILIN', reason: 'outside-division' } });
  });

  it('fails closed on a sensitive value that cannot be masked', () => {
    const decision = decideQuestion({ question: question(), resource: residents, agreements: [granted], record: { ...resident, name: 42 }, deadlineMs: 1 });
    expect(decision).toMatchObject({ type: 'Refused', data: { reason: 'unmaskable', agreementId: granted.agreementId } });
  });
});

describe('a data request forwarded to the owner’s system', () => {
  const forwarded: DataRequest = {
    requestId: 'DR-FORWARDED',
    requester: 'housing',
    owner: 'ps',
    resourceCode: 'ps.resident-identity',
    askedAt: at,
    deadline: new Date(at.getTime() + 30_000),
    agreementId: granted.agreementId,
    recordKey: '450102198503121233',
    verifyFields: null,
    status: 'pending',
    answeredAt: null,
    answer: null,
  };
  const reply = (extra: Partial<OwnerResponse> = {}): OwnerResponse => ({ responder: 'ps', status: 'answered', record: resident, at: new Date(at.getTime() + 2_000), ...extra });
  const respond = (extra: Partial<OwnerResponse> = {}, request: DataRequest = forwarded, verify: Record<string, string> | null = null) =>
    decideResponse({ request, response: reply(extra), resource: residents, shape, agreements: [granted], verify });

  it('given a resource the hub does not hold, when asked, then forwarded with a deadline', () => {
    expect(decideQuestion({ question: question(), resource: residents, agreements: [granted], record: 'not-streamed', deadlineMs: 30_000 })).toEqual({ type: 'Forwarded', data: { agreementId: granted.agreementId, deadline: new Date('2025-03-12T01:00:30.000Z') } });
    expect(decideQuestion({ question: question(), resource: residents, agreements: [], record: 'not-streamed', deadlineMs: 30_000 })).toMatchObject({ type: 'Refused', data: { reason: 'no-agreement' } });
  });

  it('when the owner answers with the record, then the requester gets it masked as from the hub’s state', () => {
    expect(respond()).toMatchObject({ ok: true, decision: { type: 'Answered', data: { record: { idNumber: '450102********1233', name: '韦**' }, maskedFields: ['idNumber', 'name', 'address'] } } });
    expect(respond({ status: 'not-found', record: undefined })).toEqual({ ok: true, decision: { type: 'NotFound', data: { agreementId: granted.agreementId } } });
  });

  it('when the owner answers a verification, then only the matches, computed from the values the router kept', () => {
    const verifying = { ...forwarded, verifyFields: ['name'] };
    expect(respond({}, verifying, { name: '韦建国' })).toMatchObject({ ok: true, decision: { type: 'Verified', data: { matches: { name: true } } } });
    expect(respond({}, verifying, { name: '韦建华' })).toMatchObject({ ok: true, decision: { type: 'Verified', data: { matches: { name: false } } } });
    const lost = respond({}, verifying, null);
    expect(lost).toMatchObject({ ok: true, decision: { type: 'Verified', data: { matches: {} } } });
    if (!lost.ok) throw new Error('refused');
    expect(answerOf('DR-FORWARDED', lost.decision)).toEqual({ requestId: 'DR-FORWARDED', status: 'answered', matches: {}, reason: VALUES_NOT_HELD });
  });

  it('refuses an answer from another department, a second answer, one after the deadline, and a record with fields the resource lacks', () => {
    expect(respond({ responder: 'tax' })).toMatchObject({ ok: false, refusal: { type: 'NotOwner' } });
    expect(respond({}, { ...forwarded, status: 'answered' })).toMatchObject({ ok: false, refusal: { type: 'AlreadyAnswered', data: { status: 'answered' } } });
    expect(respond({}, { ...forwarded, status: 'timeout' })).toMatchObject({ ok: false, refusal: { type: 'AlreadyAnswered', data: { status: 'timeout' } } });
    expect(respond({ at: forwarded.deadline! })).toMatchObject({ ok: false, refusal: { type: 'Overdue' } });
    expect(respond({ record: { ...resident, phone: '13800001234' } })).toEqual({ ok: false, refusal: { type: 'InvalidResponse', data: { problems: [{ field: 'record.phone', message: 'ps.resident-identity has no field phone' }] } } });
    expect(respond({ record: undefined })).toMatchObject({ ok: false, refusal: { type: 'InvalidResponse', data: { problems: [{ field: 'record' }] } } });
    expect(respond({}, { ...forwarded, deadline: null })).toMatchObject({ ok: false, refusal: { type: 'NotForwarded' } });
  });

  it('when the deadline passes unanswered, then the request times out', () => {
    expect(isOverdue(forwarded, new Date(at.getTime() + 29_999))).toBe(false);
    expect(isOverdue(forwarded, forwarded.deadline!)).toBe(true);
    expect(isOverdue({ ...forwarded, status: 'answered' }, forwarded.deadline!)).toBe(false);
    expect(timeoutAnswer(forwarded)).toEqual({ requestId: 'DR-FORWARDED', status: 'timeout', reason: 'ps did not answer by 2025-03-12T01:00:30.000Z' });
  });
});

describe('what a request may name of a resource', () => {
  it('names every missing and extra key field, and verify fields the record type has not', () => {
    expect(questionProblems(shape, { idNumber: '450102198503121233' }, { name: '韦建国', birthDate: '1985-03-12' })).toEqual([]);
    expect(questionProblems(shape, { name: '韦建国' }, { phone: '138', sex: 'MALE' })).toEqual([
      { field: 'key.idNumber', message: 'ps.resident-identity is looked up by idNumber: idNumber is missing' },
      { field: 'key.name', message: 'name is not a key field of ps.resident-identity (its key: idNumber)' },
      { field: 'verify.phone', message: 'ps.resident-identity has no field phone to verify' },
    ]);
  });

  it('reads nested records, arrays and maps of a schema in the catalogue’s path notation', () => {
    const titles = resourceShape('land.real-estate-title', loadSchema('RealEstateTitle'), ['unitNumber']);
    expect(titles.valuePaths.has('rightsHolders[].idNumber')).toBe(true);
    expect(titles.valuePaths.has('rightsHolders')).toBe(false);
    const marriages = resourceShape('civil.marriage-registration', loadSchema('MarriageRegistration'), ['registrationNo']);
    expect(marriages.valuePaths.has('partyA.name')).toBe(true);
    expect(questionProblems(marriages, { registrationNo: 'J1' }, { partyA: '张三' })).toEqual([{ field: 'verify.partyA', message: 'civil.marriage-registration has no field partyA to verify' }]);
    expect(strayFields(marriages, { registrationNo: 'J1', partyA: { name: '张三', nickname: '三儿' } })).toEqual([{ field: 'record.partyA.nickname', message: 'civil.marriage-registration has no field partyA.nickname' }]);
  });

  it('without key fields in the catalogue, takes any top-level value field, at least one', () => {
    const unkeyed = { ...shape, keyFields: null };
    expect(questionProblems(unkeyed, { name: '韦建国', divisionCode: '450103' }, undefined)).toEqual([]);
    expect(questionProblems(unkeyed, {}, undefined)).toMatchObject([{ field: 'key' }]);
    expect(questionProblems(unkeyed, { nickname: 'x' }, undefined)).toMatchObject([{ field: 'key.nickname' }]);
  });

  it('joins the key as the connectors write it, the check character in capitals', () => {
    const enrolments = resourceShape('hrss.social-insurance-enrolment', loadSchema('SocialInsuranceEnrolment'), ['idNumber', 'insuranceType']);
    expect(recordKeyOf(enrolments, { insuranceType: 'PENSION', idNumber: ' 45010219850312123x ' })).toBe('45010219850312123X:PENSION');
  });
});
