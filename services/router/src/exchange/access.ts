import { canonicalDivisionCode, checkDivisionCode, rollsUpTo } from '@hub/identifiers';
import { isSensitiveTag, maskRecord, type FieldTags, type MaskedRecord } from './masking.ts';

/**
 * Who receives what (共享权限): one pure decision for a subscription's
 * delivery and for the answer to a data request alike. No I/O and no clock:
 * the catalogue resource, the agreement and the record's division come in.
 */

/**
 * A sharing agreement (共享协议) as a delivery decision needs it; the
 * agreements aggregate's state maps onto it (its status is the aggregate's
 * AgreementStatus, its unmaskedFields what the grant let through).
 */
export interface DeliveryAgreement {
  readonly agreementId: string;
  readonly status: 'granted' | 'pending' | 'refused' | 'revoked' | 'suspended';
  /** The department that receives (订阅部门). */
  readonly subscriber: string;
  /** The resource agreed, e.g. ps.resident-identity (资源编码). */
  readonly resourceCode: string;
  /**
   * Only records of this region (共享范围): a GB/T 2260 code (450100 is all of
   * Nanning, rolled up by level) or a bare digit prefix (4501); absent or null
   * for every record.
   */
  readonly divisionPrefix?: string | null;
  /** Sensitive fields the owner's grant let through unmasked (catalogue paths, e.g. partyA.idNumber); empty for a grant by the hub. */
  readonly unmaskedFields: readonly string[];
  /**
   * Who granted it, as AgreementGranted records it: the owner department, or
   * null when the hub granted it at once because the resource was
   * unconditional. A grant by the hub does not hold once the catalogue makes
   * the resource conditional: the owner has never approved it. Undefined: not known, not checked.
   */
  readonly approvedBy?: string | null;
}

/**
 * The parts of a catalogue resource (`CatalogueResource` of
 * `@hub/catalogue-client`, as `GET /catalog/resources` serves it) the decision
 * reads, by shape, so that a resource from the catalog passes as it is.
 */
export interface SharedResource {
  readonly resourceCode: string | null;
  /** 提供部门. */
  readonly owner: string | null;
  /** 共享属性: unconditional, conditional or not-shared. */
  readonly sharing: string | null;
  readonly taggedFields: readonly FieldTags[];
  /** Paths of the sensitive fields (those tagged ID_NUMBER, NAME, ADDRESS, PHONE or CREDIT_CODE). */
  readonly maskedFields: readonly string[];
}

export interface DeliveryQuestion {
  readonly resource: SharedResource;
  /** The department that would receive: the subscriber of a delivery, the requester of a question. */
  readonly recipient: string;
  /** The recipient's agreement on this resource; undefined when it has none. */
  readonly agreement: DeliveryAgreement | undefined;
  /** The record's division code (its `divisionCode` field). */
  readonly divisionCode: string | null | undefined;
}

/** Why nothing is delivered. */
export type DeliveryRefusalReason =
  | 'own-resource' // the owner department holds its records already
  | 'not-shared' // 不予共享, or the catalogue gives no owner or sharing condition
  | 'no-agreement'
  | 'not-granted' // pending, refused, revoked or suspended
  | 'condition-changed' // granted by the hub when unconditional, the resource is conditional now
  | 'outside-division'; // the record's division is outside the agreement's region

export type DeliveryDecision =
  | {
      readonly deliver: true;
      readonly agreementId: string;
      /** Sensitive paths of the resource that go out as they are; pass them to `maskRecord` as `unmasked`. */
      readonly unmaskedFields: readonly string[];
      /** Sensitive paths that are masked when they hold a value. */
      readonly maskedFields: readonly string[];
    }
  | { readonly deliver: false; readonly reason: DeliveryRefusalReason; readonly message: string };

/**
 * Masking does not depend on the sharing condition: every sensitive field
 * (the catalogue's `maskedFields`, tagged ID_NUMBER, NAME, ADDRESS, PHONE or
 * CREDIT_CODE) is masked unless the owner's grant let it through.
 *
 * The catalogue describes `maskedFields` as "the fields masked when shared
 * conditionally"; for an unconditional resource (无条件共享, "taken directly")
 * it says nothing, and the safe reading is chosen, the one the agreements
 * aggregate is built on: the hub grants an unconditional request at once with
 * every sensitive field masked, and a subscriber that needs one unmasked asks
 * for it and waits for the owner, as for a conditional resource. A catalogue
 * mistake (a resident register marked unconditional) then leaks no ID number.
 * The cost: an unconditional business licence goes out with its credit code
 * masked unless the owner lets `creditCode` through.
 */
export function decideDelivery({ resource, recipient, agreement, divisionCode }: DeliveryQuestion): DeliveryDecision {
  const code = resource.resourceCode ?? '(no resource code)';
  if (resource.owner === null) return refuse('not-shared', `${code} has no owner department in the catalogue`);
  if (recipient === resource.owner) return refuse('own-resource', `${code} is ${recipient}'s own resource`);
  const sharing = resource.sharing;
  if (sharing !== 'conditional' && sharing !== 'unconditional') {
    return refuse('not-shared', sharing === 'not-shared' ? `${code} is not shared (不予共享)` : `${code} has no valid sharing condition in the catalogue`);
  }
  if (agreement === undefined) return refuse('no-agreement', `${recipient} has no agreement on ${code}`);
  if (agreement.subscriber !== recipient || agreement.resourceCode !== resource.resourceCode) {
    return refuse('no-agreement', `agreement ${agreement.agreementId} is ${agreement.subscriber}'s on ${agreement.resourceCode}, not ${recipient}'s on ${code}`);
  }
  if (agreement.status !== 'granted') return refuse('not-granted', `agreement ${agreement.agreementId} is ${agreement.status}`);
  if (agreement.approvedBy === null && sharing === 'conditional') {
    return refuse('condition-changed', `agreement ${agreement.agreementId} was granted by the hub while ${code} was unconditional; it is conditional now and needs the owner's approval`);
  }
  const prefix = agreement.divisionPrefix;
  if (prefix !== undefined && prefix !== null && prefix !== '' && !withinRegion(divisionCode, prefix)) {
    // The record's own division stays out of the message: it is the record's data, and a refusal goes to the recipient.
    return refuse('outside-division', `the record lies outside ${prefix}, the region of agreement ${agreement.agreementId}`);
  }
  const sensitive = sensitivePaths(resource);
  const unmaskedFields = sensitive.filter((path) => agreement.unmaskedFields.includes(path));
  return {
    deliver: true,
    agreementId: agreement.agreementId,
    unmaskedFields,
    maskedFields: sensitive.filter((path) => !unmaskedFields.includes(path)),
  };
}

/** The record as the decision lets it go: masked with the resource's tags, except the fields left unmasked. */
export function maskForDelivery<T extends object>(
  record: T,
  resource: SharedResource,
  decision: Extract<DeliveryDecision, { deliver: true }>,
): MaskedRecord<T> {
  return maskRecord(record, taggedWithMaskedFields(resource), decision.unmaskedFields);
}

/**
 * Whether a record's division lies within an agreement's region: a GB/T 2260
 * code rolls up by level (450100 holds 450102 and 450102001001), a bare digit
 * prefix matches the record's canonical code. A record without a well-formed
 * division is outside every region.
 */
export function withinRegion(divisionCode: string | null | undefined, prefix: string): boolean {
  if (divisionCode === null || divisionCode === undefined) return false;
  const code = canonicalDivisionCode(divisionCode);
  if (code === undefined) return false;
  const region = prefix.trim();
  if (checkDivisionCode(region).ok) return rollsUpTo(code, region);
  return /^\d{1,12}$/.test(region) && code.startsWith(region);
}

/** The resource's sensitive paths: those its tags mark, and any the catalogue lists in `maskedFields` besides. */
function sensitivePaths(resource: SharedResource): string[] {
  const tagged = resource.taggedFields.filter((field) => field.tags.some(isSensitiveTag)).map((field) => field.path);
  return [...new Set([...tagged, ...resource.maskedFields])];
}

/**
 * The tagged fields, plus a NAME-strength mask for a path the catalogue lists
 * in `maskedFields` without a sensitive tag (a stale or hand-edited entry):
 * it is masked all but its first character rather than let through.
 */
function taggedWithMaskedFields(resource: SharedResource): FieldTags[] {
  const fields: FieldTags[] = [...resource.taggedFields];
  for (const path of resource.maskedFields) {
    if (!fields.some((field) => field.path === path && field.tags.some(isSensitiveTag))) fields.push({ path, tags: ['NAME'] });
  }
  return fields;
}

function refuse(reason: DeliveryRefusalReason, message: string): DeliveryDecision {
  return { deliver: false, reason, message };
}
