import avro, { type Type } from 'avsc';
import { canonicalForm } from './canonical-form.ts';

/** A schema text parsed by avsc, with the canonical form that decides its identity. */
export interface ParsedAvroSchema {
  type: Type;
  /** The schema as JSON, exactly as written (custom attributes such as `confluent:tags` included). */
  json: unknown;
  canonical: string;
}

/** A referenced schema, already resolved to its text (and its own references). */
export interface ResolvedReference {
  /** Full name of the type the reference provides, e.g. `gov.hub.common.Address`. */
  name: string;
  schema: string;
  references: ResolvedReference[];
}

export class InvalidAvroSchema extends Error {
  override name = 'InvalidAvroSchema';
}

/**
 * Parses a schema text the way the registry must before it stores it: valid
 * JSON, a valid Avro schema for avsc (names, defaults that match their type,
 * unions), every named type it uses defined in it or in a reference.
 *
 * References are Confluent's: each one names a registered subject/version
 * whose schema defines a named type; those types are parsed first, into the
 * same avsc registry, so the schema can use them by name. Nested references
 * are followed; a type defined twice is a mistake and is refused.
 */
export function parseAvroSchema(text: string, references: ResolvedReference[] = []): ParsedAvroSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidAvroSchema(`the schema is not valid JSON: ${messageOf(error)}`);
  }
  const registry: Record<string, Type> = {};
  const parsedReferences = new Set<string>();
  for (const reference of references) addReference(reference, registry, parsedReferences);
  let type: Type;
  try {
    type = avro.Type.forSchema(json as never, { registry });
  } catch (error) {
    throw new InvalidAvroSchema(`not a valid Avro schema: ${messageOf(error)}`);
  }
  return { type, json, canonical: canonicalForm(json) };
}

function addReference(reference: ResolvedReference, registry: Record<string, Type>, seen: Set<string>): void {
  if (seen.has(reference.name)) return;
  seen.add(reference.name);
  for (const nested of reference.references) addReference(nested, registry, seen);
  if (registry[reference.name]) return;
  try {
    avro.Type.forSchema(JSON.parse(reference.schema) as never, { registry });
  } catch (error) {
    throw new InvalidAvroSchema(`referenced schema ${reference.name} cannot be parsed: ${messageOf(error)}`);
  }
  if (!registry[reference.name]) {
    throw new InvalidAvroSchema(`reference ${reference.name} names no type its schema defines (it defines ${Object.keys(registry).join(', ') || 'no named type'})`);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
