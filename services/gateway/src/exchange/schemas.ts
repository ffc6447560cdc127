import { Type } from '@fastify/type-provider-typebox';

/** Fields the key and a verification may name at most; the router's own limits are the same or wider. */
export const MAX_KEY_FIELDS = 8;
export const MAX_VERIFY_FIELDS = 16;

/**
 * A field of the resource's record: a name, or a path into it as the
 * catalogue writes them (`partyA.name`, `rightsHolders[].idNumber`). Checked
 * as `propertyNames`, so a bad name is a 400 naming the object rather than a
 * property silently dropped.
 */
const fieldName = { pattern: '^[A-Za-z][A-Za-z0-9_.\\[\\]{}]{0,99}$', maxLength: 100 };

const fieldValues = (description: string, bounds: { maxProperties: number; maxLength: number }) =>
  Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: bounds.maxLength }), {
    propertyNames: fieldName,
    minProperties: 1,
    maxProperties: bounds.maxProperties,
    description,
  });

export const RequestBody = Type.Object({
  resource: Type.String({ minLength: 1, maxLength: 120, pattern: '^[a-z]+\\.[a-z0-9-]+$', description: 'Resource code (资源编码) of the catalogue', examples: ['ps.resident-identity'] }),
  key: fieldValues('The record asked about, by the resource\'s key fields (主键), e.g. {"idNumber": "450102198503121233"}', { maxProperties: MAX_KEY_FIELDS, maxLength: 200 }),
  purpose: Type.String({ minLength: 1, maxLength: 1000, description: 'What the answer is for (使用用途); audited' }),
  verify: Type.Optional(fieldValues('Verification (核验): values to check against the record; the answer is then only `matches`, never the record', { maxProperties: MAX_VERIFY_FIELDS, maxLength: 500 })),
}, { additionalProperties: false });

export const RequestParams = Type.Object({
  requestId: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$', description: 'Data request number (数据共享申请编号), as POST /v1/exchange/requests answered it' }),
});

export const ResponseBody = Type.Object({
  status: Type.Union([Type.Literal('answered'), Type.Literal('not-found')], { description: 'answered (with the record) or not-found (查无此记录)' }),
  record: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { propertyNames: fieldName, maxProperties: 200, description: 'The record, in the resource\'s canonical fields; the hub masks it for the requester' })),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'A note to the requester' })),
}, { additionalProperties: false });

const answerFields = {
  requestId: Type.String(),
  record: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The record, its sensitive fields masked (脱敏) unless the agreement lets them through' })),
  maskedFields: Type.Optional(Type.Array(Type.String(), { description: 'The fields of `record` that were masked' })),
  matches: Type.Optional(Type.Record(Type.String(), Type.Boolean(), { description: 'For a verification: whether each given value is the registered one' })),
  reason: Type.Optional(Type.String({ description: 'Why it was refused (no agreement, not shared …), or the owner\'s note' })),
};

export const RequestAnswer = Type.Object({
  ...answerFields,
  status: Type.Union([Type.Literal('answered'), Type.Literal('not-found'), Type.Literal('refused'), Type.Literal('timeout')], {
    description: 'answered; not-found (查无此记录); refused (the reason says why); timeout (forwarded, and the owner\'s system did not answer by the deadline)',
  }),
}, { description: 'The answer to a data request' });

export const ResponseAnswer = Type.Object({
  requestId: Type.String(),
  status: Type.String({ description: 'The request\'s status after the answer' }),
});

export const RequestView = Type.Object({
  ...answerFields,
  status: Type.String({ description: 'answered, not-found, refused, timeout, or still waiting for the owner\'s system' }),
  requester: Type.String(),
  owner: Type.String(),
  resource: Type.String(),
  askedAt: Type.String({ description: 'ISO 8601' }),
  answeredAt: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'ISO 8601; null while the owner\'s system has not answered' })),
}, { description: 'A data request (数据共享申请) and its answer' });
