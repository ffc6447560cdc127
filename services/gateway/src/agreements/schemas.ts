import { Type } from '@fastify/type-provider-typebox';

const nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Fields = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100, description });

export const AgreementParams = Type.Object({
  agreementId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'Agreement number (共享协议编号), as POST /v1/agreements answered it' }),
});

export const AgreementRequestBody = Type.Object({
  resource: Type.String({ minLength: 1, maxLength: 120, description: 'Resource code (资源编码) of the catalogue, e.g. ps.resident-identity', examples: ['ps.resident-identity'] }),
  purpose: Type.String({ minLength: 1, maxLength: 1000, description: 'What the data is for (使用用途)' }),
  legalBasis: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'The legal basis (依据)' })),
  fields: Type.Optional(Fields('Sensitive fields asked for unmasked; the owner decides')),
  divisionPrefix: Type.Optional(Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$', description: 'Only records of this division (GB/T 2260 prefix: 2, 4, 6, 9 or 12 digits)' })),
  snapshot: Type.Optional(Type.Boolean({ description: 'First the latest record of every matching key, then the stream' })),
}, { additionalProperties: false });

export const ApprovalBody = Type.Object({
  approved: Type.Boolean({ description: 'true: 同意共享; false: 不同意 (a reason is required)' }),
  fields: Type.Optional(Fields('Sensitive fields let through unmasked; none when absent')),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'The reason of a refusal, or the opinion of an approval' })),
}, { additionalProperties: false });

export const ListQuery = Type.Object({
  department: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'The department whose agreements (as subscriber or owner) to list; the caller\'s own by default' })),
});

export const AgreementView = Type.Object({
  agreementId: Type.String(),
  status: Type.String({ description: 'pending, granted, refused, revoked or suspended' }),
  reason: Type.Optional(Type.String()),
  resource: Type.String(),
  subscriber: Type.String(),
  owner: Type.String(),
  purpose: Type.String(),
  legalBasis: nullable(Type.String()),
  fields: Type.Array(Type.String()),
  unmaskedFields: Type.Array(Type.String()),
  divisionPrefix: nullable(Type.String()),
  snapshot: Type.Boolean(),
  requestedAt: Type.String({ description: 'ISO 8601' }),
  decidedAt: Type.Optional(Type.String()),
  dueDate: nullable(Type.String({ description: 'While the owner owes an answer: the 10th working day (国发〔2016〕51号), YYYY-MM-DD' })),
  overdue: Type.Boolean(),
  dueDateProvisional: Type.Boolean(),
  history: Type.Array(Type.Object({ type: Type.String(), occurredAt: Type.String() }, { additionalProperties: true })),
}, { description: 'A sharing agreement (共享协议)' });

export const RequestAnswer = Type.Object({
  agreementId: Type.String(),
  status: Type.String({ description: 'granted (unconditional), pending (conditional: the owner answers), refused (not shared)' }),
  reason: Type.Optional(Type.String()),
});

export const AgreementList = Type.Object({ agreements: Type.Array(AgreementView) });
