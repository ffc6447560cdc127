import type { FieldError, NativeRecord, ResourceMapping } from '@hub/connector-core';
import { generateResidentId } from '@hub/identifiers';
import { loadGatewayConfig, type GatewayConfig } from '../src/config.ts';
import type { AuditEvent, AuditLog } from '../src/audit/audit-event.ts';
import type { CaseContent, CaseLog, SubmitCase, SubmitOutcome } from '../src/cases/case-log.ts';
import { caseIdFor, submittedEventId } from '../src/cases/case-id.ts';
import type { PublishResult, RecordPublisherPort, RecordSource } from '../src/records/publisher-port.ts';

export const tokens = {
  tax: 'dev-tax-token',
  ps: 'dev-ps-token',
  land: 'dev-land-token',
  market: 'dev-market-token',
  housing: 'dev-housing-token',
  civil: 'dev-civil-token',
  window: 'dev-window-token',
  operator: 'dev-operator-token',
} as const;
export const bearer = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });

export function testConfig(env: NodeJS.ProcessEnv = {}): GatewayConfig {
  return loadGatewayConfig({ LOG_LEVEL: 'silent', GATEWAY_MAX_BATCH: '5', ...env });
}

/**
 * A population-register record as 金盾 exports it. Record `i` of `series` is a
 * distinct person (18,000 birth days from 1950 times 1,000 sequence numbers),
 * so tests sharing a broker never share a natural key. With `bad`, the ID
 * number's check character is wrong: the ps mapping refuses it on GMSFHM.
 */
export function residentRecord(i: number, options: { bad?: boolean; series?: number } = {}): NativeRecord {
  const birthDate = new Date(Date.UTC(1950, 0, 1) + (i % 18_000) * 86_400_000).toISOString().slice(0, 10);
  const sequence = (Math.floor(i / 18_000) + (options.series ?? 0)) % 1000;
  const id = generateResidentId({ division: '450102', birthDate, sequence });
  const wrong = id.charAt(17) === '0' ? '1' : '0';
  return {
    GMSFHM: options.bad ? id.slice(0, 17) + wrong : id,
    XM: `韦${[...String(i)].map((d) => '零一二三四五六七八九'.charAt(Number(d))).join('')}`,
    XB: sequence % 2 === 1 ? '男' : '女',
    MZ: '壮族',
    CSRQ: birthDate.replaceAll('-', ''),
    ZZ: `广西壮族自治区南宁市兴宁区朝阳路${i}号`,
    HJDZ_XZQHDM: '450102',
    GXSJ: '20250106101100',
  };
}

/** `count` records in batches of `size`, every tenth one bad (10%). */
export function batchesWithBadRecords(count: number, size: number, series: number): Array<{ records: NativeRecord[]; bad: Set<number> }> {
  const batches: Array<{ records: NativeRecord[]; bad: Set<number> }> = [];
  for (let start = 0; start < count; start += size) {
    const bad = new Set<number>();
    const records = Array.from({ length: Math.min(size, count - start) }, (_, index) => {
      const i = start + index;
      if (i % 10 === 7) bad.add(index);
      return residentRecord(i, { bad: i % 10 === 7, series });
    });
    batches.push({ records, bad });
  }
  return batches;
}

/** An in-memory audit trail for contract tests. */
export function memoryAudit(): AuditLog & { events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { events, async record(event) { events.push(event); } };
}

/**
 * An in-memory publisher: maps with the real department mapping and counts
 * as the real one does, remembering natural keys and content as "published".
 */
export function memoryPublisher(): RecordPublisherPort & { calls: Array<{ resource: string; natives: NativeRecord[]; source: RecordSource }>; failWith?: Error } {
  const published = new Set<string>();
  const publisher = {
    calls: [] as Array<{ resource: string; natives: NativeRecord[]; source: RecordSource }>,
    failWith: undefined as Error | undefined,
    async publish(mapping: ResourceMapping, natives: readonly NativeRecord[], source: RecordSource, now: Date, options: { readErrors?: ReadonlyMap<number, FieldError[]> } = {}): Promise<PublishResult> {
      if (publisher.failWith) throw publisher.failWith;
      publisher.calls.push({ resource: `${mapping.department}.${mapping.resource}`, natives: [...natives], source });
      const result: PublishResult = { accepted: 0, duplicates: 0, rejected: [] };
      natives.forEach((native, index) => {
        const unreadable = options.readErrors?.get(index);
        if (unreadable) {
          for (const error of unreadable) result.rejected.push({ index, ...error });
          return;
        }
        const mapped = mapping.map(native, { now, department: mapping.department });
        if (!mapped.ok) {
          for (const error of mapped.errors) result.rejected.push({ index, ...error });
          return;
        }
        const key = JSON.stringify(native);
        if (published.has(key)) result.duplicates++;
        else {
          published.add(key);
          result.accepted++;
        }
      });
      return result;
    },
    async close() {},
  };
  return publisher;
}

/**
 * An in-memory case log. `published` holds each CaseSubmitted it "wrote", with
 * its case id, in order: what the router would read from cases.events (see
 * memoryDesks in desk.ts).
 */
export function memoryCases(): CaseLog & { submitted: SubmitCase[]; published: Array<{ caseId: string; content: CaseContent }> } {
  const byKey = new Map<string, { fingerprint: string; caseId: string }>();
  const submitted: SubmitCase[] = [];
  const published: Array<{ caseId: string; content: CaseContent }> = [];
  return {
    submitted,
    published,
    async submit(request): Promise<SubmitOutcome> {
      const key = request.idempotency ? `${request.idempotency.owner}/${request.idempotency.key}` : undefined;
      const earlier = key === undefined ? undefined : byKey.get(key);
      if (earlier && request.idempotency) {
        if (earlier.fingerprint !== request.idempotency.fingerprint) return { kind: 'conflict' };
        return { kind: 'replayed', caseId: earlier.caseId, eventId: submittedEventId(earlier.caseId) };
      }
      const caseId = caseIdFor(request.idempotency);
      if (key !== undefined && request.idempotency) byKey.set(key, { fingerprint: request.idempotency.fingerprint, caseId });
      submitted.push(request);
      published.push({ caseId, content: request.content });
      return { kind: 'published', caseId, eventId: submittedEventId(caseId) };
    },
    async close() {},
  };
}

/** A window submission of a person's application (个体工商户设立登记) at the Xingning district centre. */
export const personCase = {
  applicant: { type: 'person', name: '韦建国', idNumber: generateResidentId({ division: '450102', birthDate: '1985-03-12', sequence: 123 }), phone: '13907710000' },
  itemCode: '11450100MB1534568L4000117005000',
  itemName: '个体工商户设立登记',
  centre: 'NN-XN-ZWZX',
  window: 'W07',
  divisionCode: '450102',
  documents: [{ name: '个体工商户登记申请书', kind: 'original', fileRef: 'dms://nn-xn/2025/06/01/1.pdf' }, { name: '经营场所证明', kind: 'copy' }],
};
