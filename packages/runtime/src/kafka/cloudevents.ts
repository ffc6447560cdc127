import type { IHeaders } from 'kafkajs';

/**
 * CloudEvents Kafka protocol binding, binary mode: the event's attributes travel
 * as `ce_*` headers beside the Avro value. `correlationid` ties together the
 * events of one exchange or one case across departments.
 */
export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: Date;
  subject?: string;
  correlationId?: string;
}

export function cloudEventHeaders(ce: CloudEventAttributes): IHeaders {
  const headers: IHeaders = {
    ce_specversion: '1.0',
    ce_id: ce.id,
    ce_type: ce.type,
    ce_source: ce.source,
    ce_time: ce.time.toISOString(),
    'content-type': 'application/avro',
  };
  if (ce.subject !== undefined) headers.ce_subject = ce.subject;
  if (ce.correlationId !== undefined) headers.ce_correlationid = ce.correlationId;
  return headers;
}

export function readCloudEvent(headers: IHeaders | undefined): CloudEventAttributes {
  const text = (name: string): string | undefined => {
    const value = headers?.[name];
    if (value === undefined) return undefined;
    return (Array.isArray(value) ? value[0] : value)?.toString();
  };
  const id = text('ce_id');
  const type = text('ce_type');
  const source = text('ce_source');
  const time = text('ce_time');
  if (!id || !type || !source || !time) throw new Error('message lacks the CloudEvents headers ce_id, ce_type, ce_source and ce_time');
  const subject = text('ce_subject');
  const correlationId = text('ce_correlationid');
  return {
    id, type, source, time: new Date(time),
    ...(subject === undefined ? {} : { subject }),
    ...(correlationId === undefined ? {} : { correlationId }),
  };
}
