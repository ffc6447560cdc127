import type { CompatibilityLevel } from '../avro/compatibility.ts';
import type { SchemaMetadata } from '../metadata/government-metadata.ts';

/** Registry modes: READWRITE (default), READONLY (no schema writes), IMPORT (writes keep the ids they bring). */
export const modes = ['READWRITE', 'READONLY', 'IMPORT'] as const;
export type Mode = (typeof modes)[number];

/** Confluent schema reference: the named type `name` is defined by `subject` at `version`. */
export interface SchemaReference {
  name: string;
  subject: string;
  version: number;
}

/** One version of a subject, as the registry keeps it. */
export interface SchemaVersion {
  subject: string;
  version: number;
  /** Global id: the same schema (with the same references and metadata) has the same id under every subject. */
  id: number;
  schemaType: 'AVRO';
  /** The schema text as it was registered (or its canonical form when registered with normalize=true). */
  schema: string;
  references: SchemaReference[];
  metadata?: SchemaMetadata;
  /** Confluent data-contract rules: kept and returned, not executed. */
  ruleSet?: unknown;
  /** Soft-deleted: hidden from look-ups, kept for decoding by id. */
  deleted: boolean;
}

/**
 * What happened to the registry: the events are the records of the compacted
 * topic. Each one is keyed so that the latest record per key is the whole truth
 * about that key (a subject version, a compatibility setting, a mode); a
 * `...Cleared`/`...PermanentlyDeleted` event is a tombstone.
 */
export type RegistryEvent =
  | { type: 'SubjectVersionRegistered'; data: SchemaVersion }
  | { type: 'SubjectVersionSoftDeleted'; data: SchemaVersion }
  | { type: 'SubjectVersionPermanentlyDeleted'; data: { subject: string; version: number } }
  | { type: 'CompatibilitySet'; data: { subject: string | null; compatibility: CompatibilityLevel } }
  | { type: 'CompatibilityCleared'; data: { subject: string | null } }
  | { type: 'ModeSet'; data: { subject: string | null; mode: Mode } }
  | { type: 'ModeCleared'; data: { subject: string | null } };

export type RegistryEventType = RegistryEvent['type'];
