import type { AuditAction, AuditEntry } from '@hub/audit-chain';
import type { ExchangeKind, ExchangeMonitoring } from '@hub/schemas';

/** The audit action of each kind of exchange: the kind in lower case (an agreement's is a change of it). */
const actionOf: Readonly<Record<ExchangeKind, AuditAction>> = {
  DELIVERY: 'delivery',
  ANSWER: 'answer',
  VERIFICATION: 'verification',
  FORWARD: 'forward',
  RESPONSE: 'response',
  REFUSAL: 'refusal',
  NOT_FOUND: 'not-found',
  TIMEOUT: 'timeout',
  AGREEMENT: 'agreement-change',
};

/**
 * The audit entry (留痕) of one exchange monitoring record: who received or
 * asked, which resource and key, from whom, under which agreement or request,
 * which fields went out masked, how many bytes, when the exchange ended, and
 * whether it succeeded. Fields the exchange has no value for are left out,
 * so that an entry holds only what JSON carries as it is (see
 * `canonicalJson`). Pure: the same record gives the same entry, so a batch
 * done again chains to the same hashes.
 */
export function auditEntryOf(monitoring: ExchangeMonitoring): AuditEntry {
  const entry: AuditEntry = {
    who: monitoring.requester,
    action: actionOf[monitoring.kind],
    resourceCode: monitoring.resourceCode,
    owner: monitoring.provider,
    exchangeId: monitoring.exchangeId,
    maskedFields: [...monitoring.maskedFields],
    bytes: monitoring.responseSize,
    at: monitoring.responseOutAt.toISOString(),
    succeeded: monitoring.succeeded,
  };
  if (monitoring.recordKey !== null) entry.key = monitoring.recordKey;
  if (monitoring.agreementId !== null) entry.agreementId = monitoring.agreementId;
  if (monitoring.requestId !== null) entry.requestId = monitoring.requestId;
  if (monitoring.sourceEventId !== null) entry.eventId = monitoring.sourceEventId;
  if (monitoring.faultCode !== null) entry.faultCode = monitoring.faultCode;
  if (monitoring.faultString !== null) entry.reason = monitoring.faultString;
  return entry;
}
