import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { type EventName, eventType } from '@hub/schemas';

/**
 * The part of a sharing agreement (共享协议) as `GET /v1/agreements` lists it
 * that the departments act on; the gateway answers more (history, due dates).
 */
export const AgreementPart = Type.Object({
  agreementId: Type.String({ minLength: 1 }),
  status: Type.String({ description: 'pending, granted, refused, revoked or suspended' }),
  resource: Type.String(),
  subscriber: Type.String(),
  owner: Type.String(),
  fields: Type.Array(Type.String()),
});

export type AgreementPart = Static<typeof AgreementPart>;

/** The agreements of a `GET /v1/agreements` answer; entries of another shape are left out. */
export function readAgreementList(body: unknown): AgreementPart[] {
  const list: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'agreements') : undefined;
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown) => Value.Clean(AgreementPart, structuredClone(entry))).filter((entry): entry is AgreementPart => Value.Check(AgreementPart, entry));
}

/** The status an agreement event leaves the agreement in. */
const statusAfter: Partial<Record<EventName, string>> = {
  AgreementGranted: 'granted',
  AgreementRefused: 'refused',
  AgreementRevoked: 'revoked',
  AgreementSuspended: 'suspended',
  AgreementReinstated: 'granted',
};

/** What an agreement delivery tells a department. */
export type AgreementNotice =
  /** The owner must answer a request for its data. */
  | { readonly kind: 'requested'; readonly agreementId: string; readonly owner: string; readonly subscriber: string; readonly resource: string; readonly fields: readonly string[] }
  /** The agreement was answered or changed: its status now. */
  | { readonly kind: 'changed'; readonly agreementId: string; readonly status: string };

const noticeTypes: readonly EventName[] = ['AgreementRequested', 'AgreementGranted', 'AgreementRefused', 'AgreementRevoked', 'AgreementSuspended', 'AgreementReinstated'];
const bySubject = new Map(noticeTypes.map((name) => [eventType(name).subject, name]));

/**
 * The agreement event of a webhook delivery (the sinks' body: the envelope
 * with `payloadSubject` and the decoded `payload`), or undefined when the
 * delivery is something else.
 */
export function agreementNoticeOf(body: unknown): AgreementNotice | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const subject: unknown = Reflect.get(body, 'payloadSubject');
  const payload: unknown = Reflect.get(body, 'payload');
  const type = typeof subject === 'string' ? bySubject.get(subject) : undefined;
  if (type === undefined || typeof payload !== 'object' || payload === null) return undefined;
  const text = (name: string): string | undefined => {
    const value: unknown = Reflect.get(payload, name);
    return typeof value === 'string' ? value : undefined;
  };
  const agreementId = text('agreementId');
  if (agreementId === undefined) return undefined;
  if (type === 'AgreementRequested') {
    const fields: unknown = Reflect.get(payload, 'fields');
    const owner = text('owner');
    const subscriber = text('subscriber');
    const resource = text('resourceCode');
    if (owner === undefined || subscriber === undefined || resource === undefined) return undefined;
    return { kind: 'requested', agreementId, owner, subscriber, resource, fields: Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : [] };
  }
  const status = statusAfter[type];
  return status === undefined ? undefined : { kind: 'changed', agreementId, status };
}
