/** The JSON shapes of the hub's .avsc files, as `loadSchema` returns them. */

/** Data-contract tags that drive masking in the catalogue (脱敏标签). */
export const sensitiveTags = ['ID_NUMBER', 'NAME', 'ADDRESS', 'PHONE', 'CREDIT_CODE'] as const;
export type SensitiveTag = (typeof sensitiveTags)[number];

export type AvroTypeJson = string | AvroTypeJson[] | ComplexTypeJson;

export interface ComplexTypeJson {
  type: string;
  name?: string;
  namespace?: string;
  doc?: string;
  logicalType?: string;
  symbols?: string[];
  items?: AvroTypeJson;
  values?: AvroTypeJson;
  fields?: FieldJson[];
  [attribute: string]: unknown;
}

export interface FieldJson {
  name: string;
  type: AvroTypeJson;
  /** Always set in the hub's own schemas (a test checks it). */
  doc?: string;
  default?: unknown;
  'confluent:tags'?: SensitiveTag[];
}

export interface RecordSchemaJson extends ComplexTypeJson {
  type: 'record';
  name: string;
  namespace: string;
  doc: string;
  fields: FieldJson[];
}
