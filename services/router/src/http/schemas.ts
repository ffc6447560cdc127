import { Type, type Static } from '@sinclair/typebox';
import { departments } from '@hub/schemas';

/**
 * The router's internal data-request API (数据共享申请), as the gateway calls
 * it on the department's behalf: the gateway authenticates the department and
 * names it (`requester`, `responder`, `department`); the router decides and
 * answers. Exported so the gateway's client and its own routes share them.
 */

const Department = Type.Union(departments.map((d) => Type.Literal(d.code)), { description: 'Department code (部门代码)' });
const FieldValues = (description: string) =>
  Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 1000 }), { minProperties: 1, maxProperties: 50, description });

export const DataRequestBody = Type.Object({
  requester: Department,
  resource: Type.String({ minLength: 1, maxLength: 120, description: 'Resource code (资源编码) of the catalogue, e.g. ps.resident-identity' }),
  key: FieldValues('The record asked about, by its key fields (查询条件), e.g. {"idNumber": "450102198503121233"}'),
  purpose: Type.String({ minLength: 1, maxLength: 1000, description: 'What the answer is for (使用用途)' }),
  verify: Type.Optional(FieldValues('For a verification (核验): values to check against the record, by field; the answer is then only whether each matches')),
}, { additionalProperties: false });
export type DataRequestBody = Static<typeof DataRequestBody>;

export const AnswerStatus = Type.Union([Type.Literal('answered'), Type.Literal('not-found'), Type.Literal('refused'), Type.Literal('timeout')]);

const answerFields = {
  requestId: Type.String({ description: 'Data request number (数据共享申请编号)' }),
  record: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The record, its sensitive fields masked as the agreement says (脱敏)' })),
  maskedFields: Type.Optional(Type.Array(Type.String(), { description: 'Fields of the record that were masked' })),
  matches: Type.Optional(Type.Record(Type.String(), Type.Boolean(), { description: 'For a verification: whether each value given is the registered one' })),
  reason: Type.Optional(Type.String({ description: 'Why it is refused, or timed out' })),
};

export const DataRequestAnswer = Type.Object({ ...answerFields, status: AnswerStatus }, { description: 'The answer to a data request' });
export type DataRequestAnswer = Static<typeof DataRequestAnswer>;

export const RequestParams = Type.Object({
  requestId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$', description: 'Data request number, as the request answered it' }),
});

export const OwnerResponseBody = Type.Object({
  responder: Department,
  status: Type.Union([Type.Literal('answered'), Type.Literal('not-found')]),
  record: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The record, as the resource\'s schema has it (JSON); the hub masks it' })),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type OwnerResponseBody = Static<typeof OwnerResponseBody>;

export const OwnerResponseAnswer = Type.Object({ requestId: Type.String(), status: AnswerStatus });

export const RequestQuery = Type.Object({
  department: Department,
});

export const DataRequestView = Type.Object({
  ...answerFields,
  status: Type.Union([AnswerStatus, Type.Literal('pending')], { description: 'pending while a forwarded request awaits its owner' }),
  requester: Type.String(),
  owner: Type.String(),
  resource: Type.String(),
  askedAt: Type.String({ description: 'ISO 8601' }),
  answeredAt: Type.Optional(Type.String({ description: 'ISO 8601' })),
}, { description: 'A data request and its answer, as its parties see it' });
export type DataRequestView = Static<typeof DataRequestView>;

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  code: Type.String(),
  instance: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
}, { description: 'problem+json (RFC 9457)' });

export const Starting = Type.Object({ status: Type.Literal('starting') }, { description: 'The router is still reading its state; Retry-After says when to ask again' });
