import { Type, type Static } from '@sinclair/typebox';

/**
 * One entry of the government resource catalogue (政务信息资源目录) as the
 * catalog serves it at `GET /catalog/resources`. The catalog's route declares
 * its response with these schemas and the client checks answers against them,
 * so there is one definition of the shape.
 */

const nullableString = (description: string) => Type.Union([Type.String(), Type.Null()], { description });

/** A field that carries data-contract tags (字段标签), e.g. ID_NUMBER, which drive masking (脱敏). */
export const TaggedField = Type.Object({
  path: Type.String({ description: 'Where the value sits in a record: dots between fields, [] for array items, {} for map values, e.g. rightsHolders[].idNumber' }),
  record: Type.String({ description: 'Full name of the record that declares the field' }),
  field: Type.String(),
  tags: Type.Array(Type.String()),
});
export type TaggedField = Static<typeof TaggedField>;

/** One data resource of the catalogue: the latest live version of a subject and its government metadata. */
export const CatalogueResource = Type.Object({
  subject: Type.String(),
  version: Type.Integer(),
  id: Type.Integer(),
  record: nullableString('Full name of the Avro record'),
  description: nullableString('The record\'s doc, with the Chinese term'),
  resourceCode: nullableString('Resource code (资源代码)'),
  title: nullableString('Resource name (资源名称)'),
  owner: nullableString('Owner department code (提供部门)'),
  sharing: nullableString('Sharing condition (共享属性): unconditional, conditional or not-shared'),
  updateCycle: nullableString('Update cycle (更新周期)'),
  taggedFields: Type.Array(TaggedField),
  maskedFields: Type.Array(Type.String(), { description: 'Paths of the fields masked when shared conditionally: those tagged ID_NUMBER, NAME, ADDRESS, PHONE or CREDIT_CODE' }),
});
export type CatalogueResource = Static<typeof CatalogueResource>;

/** Which resources to list: of one owner department, of one sharing condition; both when both are given. */
export interface ResourceFilter {
  department?: string;
  condition?: string;
}
