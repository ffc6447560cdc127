import type { ExchangeMonitoring } from '@hub/schemas';
import type { AgreementEvent, AgreementState } from './events.ts';

/**
 * The exchange monitoring record (交换监测) of an agreement event: every
 * change of an agreement is an exchange between its two parties, counted in
 * the department matrix and turned into an audit entry (留痕) by the audit
 * scribe. `state` is the agreement after the event (its parties and resource
 * are those of the request). Nothing is exchanged but the change itself, so
 * both sizes are 0, and the event's instant is both ends of the exchange.
 */
export function agreementMonitoring(state: AgreementState, event: AgreementEvent): ExchangeMonitoring {
  const { eventId, occurredAt, agreementId } = event.data;
  return {
    eventId: `${eventId}:monitoring`,
    occurredAt,
    exchangeId: eventId,
    kind: 'AGREEMENT',
    requester: state.subscriber,
    provider: state.owner,
    resourceCode: state.resourceCode,
    agreementId,
    requestId: null,
    recordKey: null,
    sourceEventId: null,
    maskedFields: [],
    requestInAt: occurredAt,
    responseOutAt: occurredAt,
    requestSize: 0,
    responseSize: 0,
    succeeded: true,
    faultCode: event.type,
    faultString: reasonOf(event),
  };
}

/** The reason an event gives: a refusal's, a revocation's (when given), a suspension's or reinstatement's; null otherwise. */
function reasonOf(event: AgreementEvent): string | null {
  switch (event.type) {
    case 'AgreementRequested':
      return null;
    case 'AgreementGranted':
      return event.data.opinion;
    case 'AgreementRefused':
    case 'AgreementRevoked':
    case 'AgreementSuspended':
    case 'AgreementReinstated':
      return event.data.reason;
    default: {
      const _exhaustive: never = event;
      return null;
    }
  }
}
