/**
 * Confluent's media types. Requests may come in any of them (or as
 * application/octet-stream, which Confluent's REST layer also reads as JSON);
 * responses use the one the Accept header asks for, the v1 type by default.
 */
export const SCHEMA_REGISTRY_V1_JSON = 'application/vnd.schemaregistry.v1+json';
export const SCHEMA_REGISTRY_JSON = 'application/vnd.schemaregistry+json';
export const JSON_TYPE = 'application/json';

export const requestContentTypes = [SCHEMA_REGISTRY_V1_JSON, SCHEMA_REGISTRY_JSON, 'application/octet-stream'];

export function responseContentType(accept: string | undefined): string {
  if (!accept) return SCHEMA_REGISTRY_V1_JSON;
  const wanted = accept.split(',').map((part) => part.split(';')[0]?.trim().toLowerCase());
  for (const type of wanted) {
    if (type === SCHEMA_REGISTRY_V1_JSON || type === SCHEMA_REGISTRY_JSON || type === JSON_TYPE) return type;
  }
  return SCHEMA_REGISTRY_V1_JSON;
}
