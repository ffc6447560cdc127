import type { ResourceSharing, SharingCondition } from '@hub/schemas';

/**
 * A catalogue entry (政务信息资源目录) as an agreement needs it: what the
 * router reads from the catalog's `GET /catalog/resources` when a department
 * asks for a resource, and passes in the command, so the decision does no
 * I/O and the condition it was taken under is on record.
 */
export interface AgreementResource {
  /** `<dept>.<resource>`, e.g. `ps.resident-identity` (资源编码). */
  readonly resourceCode: string;
  /** The owner department (提供部门), the only one that answers a request. */
  readonly owner: string;
  /** 共享属性. */
  readonly sharing: SharingCondition;
  /**
   * Paths of the sensitive fields (敏感字段): the catalogue's `maskedFields`,
   * those tagged ID_NUMBER, NAME, ADDRESS, PHONE or CREDIT_CODE. Masked in
   * every delivery unless a grant lets them through.
   */
  readonly maskedFields: readonly string[];
}

/**
 * The fields of the catalog's `CatalogueResource` (`@hub/catalogue-client`)
 * read here, by shape: the router does not depend on the client package yet.
 */
export interface CatalogueEntryLike {
  readonly resourceCode: string | null;
  readonly owner: string | null;
  readonly sharing: string | null;
  readonly maskedFields: readonly string[];
}

export const sharingConditions: readonly SharingCondition[] = ['unconditional', 'conditional', 'not-shared'];

export function isSharingCondition(value: unknown): value is SharingCondition {
  return typeof value === 'string' && (sharingConditions as readonly string[]).includes(value);
}

/**
 * The catalog's entry as an agreement resource, or null when it cannot be
 * one: no resource code, no owner, or no known sharing condition (the catalog
 * lists every subject, shared records or not).
 */
export function agreementResourceOf(entry: CatalogueEntryLike): AgreementResource | null {
  const { resourceCode, owner, sharing, maskedFields } = entry;
  if (!resourceCode || !owner || !isSharingCondition(sharing)) return null;
  return { resourceCode, owner, sharing, maskedFields: [...maskedFields] };
}

const avroOf: Readonly<Record<SharingCondition, ResourceSharing>> = {
  unconditional: 'UNCONDITIONAL',
  conditional: 'CONDITIONAL',
  'not-shared': 'NOT_SHARED',
};

const catalogueOf: Readonly<Record<ResourceSharing, SharingCondition>> = {
  UNCONDITIONAL: 'unconditional',
  CONDITIONAL: 'conditional',
  NOT_SHARED: 'not-shared',
};

/** The catalog's word for the condition as the Avro enum spells it (Avro symbols cannot hold `-`). */
export const sharingSymbol = (sharing: SharingCondition): ResourceSharing => avroOf[sharing];

/** The Avro enum symbol as the catalog's word. */
export const sharingOfSymbol = (symbol: ResourceSharing): SharingCondition => catalogueOf[symbol];

/** What the condition is called in a reason: the catalog's word and the Chinese term. */
export function sharingTerm(sharing: SharingCondition): string {
  switch (sharing) {
    case 'unconditional':
      return 'unconditional (无条件共享)';
    case 'conditional':
      return 'conditional (有条件共享)';
    case 'not-shared':
      return 'not shared (不予共享)';
    default: {
      const _exhaustive: never = sharing;
      return String(_exhaustive);
    }
  }
}
