import { describe, expect, it } from 'vitest';
import { bj, CASE, realEstateTransfer } from '../cases/fixtures.ts';
import { commandKey, decodeCommand, encodeCommand, WireError, type CommandEnvelope, type RouterCommand, type RouterCommandType } from './messages.ts';

const at = bj('2026-03-04 11:30');
const AGREEMENT = 'AG-0A1B2C3D4E5F';

/** One command of every type the router takes, with every optional field it may carry. */
const samples: { [T in RouterCommandType]: Extract<RouterCommand, { type: T }> } = {
  AcceptCase: { type: 'AcceptCase', data: { caseId: CASE, occurredAt: at } },
  RefuseAtIntake: { type: 'RefuseAtIntake', data: { caseId: CASE, occurredAt: at, reason: '申请材料不齐全' } },
  AnswerCoApproval: {
    type: 'AnswerCoApproval',
    data: { caseId: CASE, occurredAt: at, department: 'market', answer: 'supplement', stage: 1, reason: '请补正', materials: ['营业执照副本'] },
  },
  SuspendCase: { type: 'SuspendCase', data: { caseId: CASE, occurredAt: at, department: 'housing', kind: 'HEARING', reason: '组织听证' } },
  ResumeCase: { type: 'ResumeCase', data: { caseId: CASE, occurredAt: at, kind: 'HEARING' } },
  DecideCase: { type: 'DecideCase', data: { caseId: CASE, occurredAt: at, department: 'land', approved: false, reason: '不符合法定条件' } },
  AssessFee: { type: 'AssessFee', data: { caseId: CASE, occurredAt: at } },
  PayFee: { type: 'PayFee', data: { caseId: CASE, occurredAt: at, paidAt: bj('2026-03-04 11:20'), receiptNo: '45010226000123', amount: '80.00' } },
  IssueCertificate: { type: 'IssueCertificate', data: { caseId: CASE, occurredAt: at, certificateNo: 'ZZ-1', validUntil: '2031-03-03' } },
  DeliverResult: { type: 'DeliverResult', data: { caseId: CASE, occurredAt: at, method: 'POST', trackingNo: 'SF1234567890' } },
  ReviewCase: { type: 'ReviewCase', data: { caseId: CASE, occurredAt: at, grade: 5, comment: '办事很快' } },
  ReadCase: { type: 'ReadCase', data: { caseId: CASE, asOf: bj('2026-03-05 16:00') } },
  DefineItem: { type: 'DefineItem', data: { itemCode: realEstateTransfer.code, definition: { ...realEstateTransfer }, occurredAt: at, definedBy: 'operator' } },
  Tick: { type: 'Tick', data: { now: bj('2026-03-06 00:00') } },
  RequestAgreement: {
    type: 'RequestAgreement',
    data: {
      agreementId: AGREEMENT, occurredAt: at, subscriber: 'civil', resourceCode: 'ps.resident-identity', purpose: '最低生活保障审核',
      resource: { resourceCode: 'ps.resident-identity', owner: 'ps', sharing: 'conditional', maskedFields: ['idNumber'] },
      legalBasis: '社会救助暂行办法', fields: ['idNumber'], divisionPrefix: '4501', snapshot: true,
    },
  },
  ApproveAgreement: { type: 'ApproveAgreement', data: { agreementId: AGREEMENT, occurredAt: at, by: 'ps', approved: true, fields: ['idNumber'], reason: '同意' } },
  RevokeAgreement: { type: 'RevokeAgreement', data: { agreementId: AGREEMENT, occurredAt: at, by: 'civil', reason: '不再需要' } },
  ReadAgreement: { type: 'ReadAgreement', data: { agreementId: AGREEMENT, asOf: bj('2026-03-05 16:00') } },
  SharingConditionChanged: { type: 'SharingConditionChanged', data: { agreementId: AGREEMENT, resourceCode: 'ps.resident-identity', sharing: 'not-shared', occurredAt: at } },
  DeliverSnapshot: { type: 'DeliverSnapshot', data: { agreementId: AGREEMENT, afterKey: '450102198503121172' } },
};

/** The WireError decoding `value` throws. */
function wireError(value: Buffer | string | null): WireError {
  try {
    decodeCommand(value);
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
  throw new Error(`decoded: ${String(value)}`);
}

const record = (command: unknown) => JSON.stringify({ commandId: 'gw-1:1', command });

describe('encodeCommand / decodeCommand', () => {
  it('round trip every command type, with and without a commandId', () => {
    for (const command of Object.values(samples)) {
      const asked: CommandEnvelope = { commandId: `gw-1:${command.type}`, command };
      expect(decodeCommand(encodeCommand(asked))).toStrictEqual(asked);
      expect(decodeCommand(encodeCommand({ command }))).toStrictEqual({ command });
    }
  });

  it('revives the instants (occurredAt, paidAt, asOf, now) as Dates; other text stays text', () => {
    const decoded = (command: RouterCommand) => decodeCommand(encodeCommand({ command })).command.data;
    expect(decoded(samples.PayFee)).toMatchObject({ occurredAt: at, paidAt: bj('2026-03-04 11:20'), amount: '80.00' });
    expect(decoded(samples.ReadCase)).toMatchObject({ asOf: bj('2026-03-05 16:00') });
    expect(decoded(samples.Tick)).toMatchObject({ now: bj('2026-03-06 00:00') });
    expect(decoded(samples.DefineItem)).toMatchObject({ occurredAt: at });
    expect(decoded(samples.IssueCertificate)).toMatchObject({ occurredAt: at, validUntil: '2031-03-03' });
    // A snapshot page is not dated; the first page's afterKey is null.
    expect(decoded({ type: 'DeliverSnapshot', data: { agreementId: AGREEMENT, afterKey: null } })).toStrictEqual({ agreementId: AGREEMENT, afterKey: null });
  });

  it('reads the value as Kafka hands it (a Buffer), an instant written with its UTC offset', () => {
    const value = Buffer.from(record({ type: 'AcceptCase', data: { caseId: CASE, occurredAt: '2026-03-04T11:30:00+08:00' } }));
    expect(decodeCommand(value)).toStrictEqual({ commandId: 'gw-1:1', command: samples.AcceptCase });
  });
});

describe('WireError: what a record that holds no command lacks, naming its field', () => {
  it('not JSON, not an object, no value', () => {
    expect(wireError('{"command":').message).toMatch(/^the value is not JSON: /);
    expect(wireError('"AcceptCase"').message).toBe('the value is not a JSON object');
    expect(wireError(null).message).toBe('the record has no value');
  });

  it('an unknown command type', () => {
    expect(wireError(record({ type: 'OpenCase', data: { caseId: CASE } })).message).toBe('command.type: "OpenCase" is not a router command');
    expect(wireError(record({ data: { caseId: CASE } })).message).toBe('command.type: undefined is not a router command');
  });

  it('no command, no data, a commandId that is not text', () => {
    expect(wireError(JSON.stringify({ commandId: 'gw-1:1' })).message).toBe('command: missing');
    expect(wireError(record({ type: 'AcceptCase' })).message).toBe('command.data: missing');
    expect(wireError(JSON.stringify({ commandId: 7, command: samples.AcceptCase })).message).toBe('commandId: not a string');
  });

  it('a case command without its caseId; a definition without its itemCode', () => {
    expect(wireError(record({ type: 'AcceptCase', data: { occurredAt: at } })).message).toBe('command.data.caseId: missing');
    expect(wireError(record({ type: 'ReadCase', data: { caseId: 42, asOf: at } })).message).toBe('command.data.caseId: missing');
    expect(wireError(record({ type: 'DefineItem', data: { definition: {}, occurredAt: at, definedBy: 'operator' } })).message).toBe('command.data.itemCode: missing');
  });

  it('an instant that is not one', () => {
    expect(wireError(record({ type: 'AcceptCase', data: { caseId: CASE, occurredAt: 'yesterday' } })).message).toBe('command.data.occurredAt: "yesterday" is not an instant');
    expect(wireError(record({ type: 'PayFee', data: { caseId: CASE, occurredAt: at, paidAt: 1772594400000 } })).message).toBe('command.data.paidAt: 1772594400000 is not an instant');
    expect(wireError(record({ type: 'ReadCase', data: { caseId: CASE, asOf: null } })).message).toBe('command.data.asOf: null is not an instant');
    expect(wireError(record({ type: 'Tick', data: { now: '' } })).message).toBe('command.data.now: "" is not an instant');
  });

  it('a command without the instant it needs: a step its occurredAt, ReadCase its asOf, Tick its now, DefineItem its occurredAt', () => {
    expect(wireError(record({ type: 'AcceptCase', data: { caseId: CASE } })).message).toBe('command.data.occurredAt: missing');
    expect(wireError(record({ type: 'ReadCase', data: { caseId: CASE } })).message).toBe('command.data.asOf: missing');
    expect(wireError(record({ type: 'Tick', data: {} })).message).toBe('command.data.now: missing');
    expect(wireError(record({ type: 'ReadAgreement', data: { agreementId: 'AG-1' } })).message).toBe('command.data.asOf: missing');
    expect(wireError(record({ type: 'RevokeAgreement', data: { occurredAt: '2026-03-04T03:30:00.000Z', by: 'ps' } })).message).toBe('command.data.agreementId: missing');
    expect(wireError(record({ type: 'DeliverSnapshot', data: { afterKey: null } })).message).toBe('command.data.agreementId: missing');
    expect(wireError(record({ type: 'DeliverSnapshot', data: { agreementId: 'AG-1', afterKey: 7 } })).message).toBe('command.data.afterKey: neither a key nor null');
    expect(wireError(record({ type: 'DefineItem', data: { itemCode: realEstateTransfer.code, definition: {}, definedBy: 'operator' } })).message).toBe(
      'command.data.occurredAt: missing',
    );
  });
});

describe('commandKey: the Kafka key of a command', () => {
  it('the case for a case step or a read, the item for a definition, the agreement for an agreement\'s, none for a Tick', () => {
    const keys = Object.fromEntries(Object.values(samples).map((command) => [command.type, commandKey(command)]));
    expect(keys).toStrictEqual({
      AcceptCase: CASE,
      RefuseAtIntake: CASE,
      AnswerCoApproval: CASE,
      SuspendCase: CASE,
      ResumeCase: CASE,
      DecideCase: CASE,
      AssessFee: CASE,
      PayFee: CASE,
      IssueCertificate: CASE,
      DeliverResult: CASE,
      ReviewCase: CASE,
      ReadCase: CASE,
      DefineItem: realEstateTransfer.code,
      Tick: null,
      RequestAgreement: AGREEMENT,
      ApproveAgreement: AGREEMENT,
      RevokeAgreement: AGREEMENT,
      ReadAgreement: AGREEMENT,
      SharingConditionChanged: AGREEMENT,
      DeliverSnapshot: AGREEMENT,
    });
  });
});
