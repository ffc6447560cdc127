import { Type, type Static } from '@sinclair/typebox';
import { departmentCodes, sharingConditions } from '../metadata/government-metadata.ts';

/** Request and response shapes of the Confluent Schema Registry API, as the catalog serves it. */

export const ErrorMessage = Type.Object({ error_code: Type.Integer(), message: Type.String() }, { $id: 'ErrorMessage' });
/** Every error status a route can answer, in Confluent's error body. */
export const errors = { '4xx': ErrorMessage, '5xx': ErrorMessage };

export const SchemaReference = Type.Object({
  name: Type.String({ description: 'Full name of the type the referenced schema defines' }),
  subject: Type.String(),
  version: Type.Integer({ description: 'A version, or -1 for the latest at registration' }),
});

export const Metadata = Type.Object({
  properties: Type.Optional(Type.Record(Type.String(), Type.String(), {
    description: 'owner (department code), sharing (unconditional|conditional|not-shared), updateCycle, resourceCode, title, or any other',
  })),
  tags: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Record.field (or **.field) → tags such as ID_NUMBER' })),
  sensitive: Type.Optional(Type.Array(Type.String())),
});

const SchemaType = Type.Optional(Type.String({ description: 'AVRO; omitted for AVRO in responses, as Confluent does' }));

export const RegisterRequest = Type.Object({
  schema: Type.Optional(Type.String({ description: 'The Avro schema as text; empty: the latest schema again (metadata change)' })),
  schemaType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  references: Type.Optional(Type.Union([Type.Array(SchemaReference), Type.Null()])),
  metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  ruleSet: Type.Optional(Type.Unknown()),
  id: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  version: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
});
export type RegisterRequest = Static<typeof RegisterRequest>;

export const LookupRequest = Type.Object({
  schema: Type.String(),
  schemaType: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  references: Type.Optional(Type.Union([Type.Array(SchemaReference), Type.Null()])),
  metadata: Type.Optional(Type.Union([Metadata, Type.Null()])),
  ruleSet: Type.Optional(Type.Unknown()),
});

export const RegisterResponse = Type.Object({ id: Type.Integer() });

export const SubjectVersion = Type.Object({
  subject: Type.String(),
  id: Type.Integer(),
  version: Type.Integer(),
  schemaType: SchemaType,
  schema: Type.String(),
  references: Type.Optional(Type.Array(SchemaReference)),
  metadata: Type.Optional(Metadata),
  ruleSet: Type.Optional(Type.Unknown()),
});

export const SchemaById = Type.Object({
  schema: Type.String(),
  schemaType: SchemaType,
  references: Type.Optional(Type.Array(SchemaReference)),
  metadata: Type.Optional(Metadata),
  ruleSet: Type.Optional(Type.Unknown()),
  maxId: Type.Optional(Type.Integer()),
});

export const SubjectAndVersion = Type.Object({ subject: Type.String(), version: Type.Integer() });

export const CompatibilityLevelAnswer = Type.Object({ compatibilityLevel: Type.String() });
export const CompatibilityUpdate = Type.Object({ compatibility: Type.String() });
export const ModeBody = Type.Object({ mode: Type.String() });
export const CompatibilityAnswer = Type.Object({ is_compatible: Type.Boolean(), messages: Type.Optional(Type.Array(Type.String())) });

const flag = (description: string) => Type.Boolean({ default: false, description });
export const Flags = {
  deleted: flag('include soft-deleted'),
  deletedOnly: flag('soft-deleted only'),
  permanent: flag('delete permanently (after a soft delete)'),
  normalize: flag('compare and store the canonical form'),
  verbose: flag('say why not compatible'),
  defaultToGlobal: flag('answer the global setting when the subject has none'),
  force: flag('IMPORT even when subjects exist'),
};

export const SubjectParams = Type.Object({ subject: Type.String() });
export const SubjectVersionParams = Type.Object({ subject: Type.String(), version: Type.String() });
export const IdParams = Type.Object({ id: Type.String() });

/** An empty value (`?department=`) means no filter, as a form would send it. */
export const ResourceQuery = Type.Object({
  department: Type.Optional(Type.Union([...departmentCodes, ''].map((code) => Type.Literal(code)), { description: 'owner department code' })),
  condition: Type.Optional(Type.Union([...sharingConditions, ''].map((condition) => Type.Literal(condition)), { description: 'sharing condition' })),
});
