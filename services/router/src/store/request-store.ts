import type { AnswerStatus, DataRequest, RequestAnswer } from '../requests/question.ts';
import type { RouterDatabase } from './database.ts';

/** A request as it is asked (ExchangeRequested, or this router's own question). */
export interface AskedRequest extends Omit<DataRequest, 'status' | 'answeredAt' | 'answer'> {
  /** The router instance that took the question (its events' source): it times the request out. */
  readonly askedBy: string | null;
}

/** A request with what only the router that took it holds: the values a forwarded verification checks. */
export interface HeldRequest extends DataRequest {
  readonly askedBy: string | null;
  readonly verifyValues: Readonly<Record<string, string>> | null;
}

interface Row {
  request_id: string;
  requester: string;
  owner: string;
  resource: string;
  asked_at: number;
  deadline: number | null;
  agreement_id: string | null;
  record_key: string;
  verify_fields: string | null;
  verify_values: string | null;
  asked_by: string | null;
  status: string;
  answered_at: number | null;
  answer: string | null;
}

const STATUSES = new Set(['pending', 'answered', 'not-found', 'refused', 'timeout']);

/**
 * The data requests (数据共享申请) the router has seen, in its file rather
 * than its heap: every question asked through it or read from
 * exchange.requests, and its answer (its own, or one read from
 * exchange.responses). A request's two halves may come in either order (two
 * topics); each fills its own columns, and the first answer stands.
 */
export class RequestStore {
  private readonly statements;

  constructor(db: RouterDatabase) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS requests (
        request_id TEXT PRIMARY KEY,
        requester TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '', resource TEXT NOT NULL DEFAULT '',
        asked_at INTEGER NOT NULL DEFAULT 0, deadline INTEGER, agreement_id TEXT, record_key TEXT NOT NULL DEFAULT '',
        verify_fields TEXT, verify_values TEXT, asked_by TEXT,
        status TEXT NOT NULL DEFAULT 'pending', answered_at INTEGER, answer TEXT,
        answer_from_log INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS requests_due ON requests (asked_by, deadline) WHERE status = 'pending' AND deadline IS NOT NULL;
      CREATE INDEX IF NOT EXISTS requests_asked ON requests (asked_at);
    `);
    this.statements = {
      asked: db.prepare<[string, string, string, string, number, number | null, string | null, string, string | null, string | null, string | null]>(`
        INSERT INTO requests (request_id, requester, owner, resource, asked_at, deadline, agreement_id, record_key, verify_fields, verify_values, asked_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (request_id) DO UPDATE SET
          requester = excluded.requester, owner = excluded.owner, resource = excluded.resource, asked_at = excluded.asked_at,
          deadline = excluded.deadline, agreement_id = excluded.agreement_id, record_key = excluded.record_key,
          verify_fields = excluded.verify_fields,
          verify_values = coalesce(excluded.verify_values, requests.verify_values),
          asked_by = coalesce(requests.asked_by, excluded.asked_by)`),
      // The first answer stands; the values to verify are forgotten with it.
      answered: db.prepare<[string, string, number, string, number]>(`
        INSERT INTO requests (request_id, status, answered_at, answer, answer_from_log) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (request_id) DO UPDATE SET
          status = excluded.status, answered_at = excluded.answered_at, answer = excluded.answer, answer_from_log = excluded.answer_from_log, verify_values = NULL
        WHERE requests.status = 'pending'`),
      // The hub's own answer to a question it answered at once, as the requester got it, over the log's text form of it.
      answeredHere: db.prepare<[string, string, number, string]>(`
        INSERT INTO requests (request_id, status, answered_at, answer) VALUES (?, ?, ?, ?)
        ON CONFLICT (request_id) DO UPDATE SET status = excluded.status, answered_at = excluded.answered_at, answer = excluded.answer, answer_from_log = 0, verify_values = NULL
        WHERE requests.status = 'pending' OR requests.answer_from_log = 1`),
      // A question the hub answered at once: asked and answered in one row, over whatever the log brought of it.
      answeredAtOnce: db.prepare<[string, string, string, string, number, string | null, string, string | null, string | null, string, number, string]>(`
        INSERT INTO requests (request_id, requester, owner, resource, asked_at, agreement_id, record_key, verify_fields, asked_by, status, answered_at, answer)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (request_id) DO UPDATE SET
          requester = excluded.requester, owner = excluded.owner, resource = excluded.resource, asked_at = excluded.asked_at,
          agreement_id = excluded.agreement_id, record_key = excluded.record_key, verify_fields = excluded.verify_fields,
          asked_by = coalesce(requests.asked_by, excluded.asked_by),
          status = CASE WHEN requests.status = 'pending' OR requests.answer_from_log = 1 THEN excluded.status ELSE requests.status END,
          answered_at = CASE WHEN requests.status = 'pending' OR requests.answer_from_log = 1 THEN excluded.answered_at ELSE requests.answered_at END,
          answer = CASE WHEN requests.status = 'pending' OR requests.answer_from_log = 1 THEN excluded.answer ELSE requests.answer END,
          answer_from_log = 0`),
      known: db.prepare<[string], { requester: string; status: string }>('SELECT requester, status FROM requests WHERE request_id = ?'),
      get: db.prepare<[string], Row>('SELECT * FROM requests WHERE request_id = ?'),
      overdue: db.prepare<[string, number, number], Row>(`SELECT * FROM requests WHERE status = 'pending' AND deadline IS NOT NULL AND asked_by = ? AND deadline <= ? ORDER BY deadline LIMIT ?`),
      nextDeadline: db.prepare<[string], { at: number | null }>(`SELECT min(deadline) AS at FROM requests WHERE status = 'pending' AND deadline IS NOT NULL AND asked_by = ?`),
      prune: db.prepare<[number]>('DELETE FROM requests WHERE asked_at < ? AND asked_at > 0'),
    };
  }

  /** Files a question (again: the reader of exchange.requests brings this router's own back), keeping any answer already there. */
  asked(request: AskedRequest, verifyValues: Readonly<Record<string, string>> | null = null): void {
    this.statements.asked.run(
      request.requestId, request.requester, request.owner, request.resourceCode, request.askedAt.getTime(),
      request.deadline?.getTime() ?? null, request.agreementId, request.recordKey,
      request.verifyFields === null ? null : JSON.stringify(request.verifyFields),
      verifyValues === null ? null : JSON.stringify(verifyValues), request.askedBy,
    );
  }

  /**
   * Files the answer unless one is there already; whether this one was taken.
   * `fromLog`: read from exchange.responses, where a record travels as text
   * (the answer map); `here`: the hub's answer to a question it answered at
   * once, which only it gives, so it replaces the log's form of itself.
   */
  answered(answer: RequestAnswer, at: Date, how: 'from-log' | 'forwarded' | 'here', json = JSON.stringify(answer)): boolean {
    if (how === 'here') return this.statements.answeredHere.run(answer.requestId, answer.status, at.getTime(), json).changes > 0;
    return this.statements.answered.run(answer.requestId, answer.status, at.getTime(), json, how === 'from-log' ? 1 : 0).changes > 0;
  }

  /** A question the hub answered at once (no deadline), with its answer: one row written. */
  answeredAtOnce(request: AskedRequest, answer: RequestAnswer, at: Date, json = JSON.stringify(answer)): void {
    this.statements.answeredAtOnce.run(
      request.requestId, request.requester, request.owner, request.resourceCode, request.askedAt.getTime(), request.agreementId, request.recordKey,
      request.verifyFields === null ? null : JSON.stringify(request.verifyFields), request.askedBy, answer.status, at.getTime(), json,
    );
  }

  /** Whether the file has the request's question (its requester), and its status: without reading the rest. */
  known(requestId: string): { asked: boolean; status: string } | undefined {
    const row = this.statements.known.get(requestId);
    return row && { asked: row.requester !== '', status: row.status };
  }

  get(requestId: string): HeldRequest | undefined {
    const row = this.statements.get.get(requestId);
    return row && held(row);
  }

  /** This router's forwarded requests whose deadline has come by `at`, earliest first. */
  overdue(askedBy: string, at: Date, limit = 500): HeldRequest[] {
    return this.statements.overdue.all(askedBy, at.getTime(), limit).map(held);
  }

  /** The earliest deadline of this router's pending requests. */
  nextDeadline(askedBy: string): Date | undefined {
    const at = this.statements.nextDeadline.get(askedBy)?.at;
    return at === null || at === undefined ? undefined : new Date(at);
  }

  /** Forgets the requests asked before `before` (GET answers 404 for them). */
  prune(before: Date): number {
    return this.statements.prune.run(before.getTime()).changes;
  }
}

function held(row: Row): HeldRequest {
  const status = STATUSES.has(row.status) ? (row.status as DataRequest['status']) : 'pending';
  return {
    requestId: row.request_id,
    requester: row.requester,
    owner: row.owner,
    resourceCode: row.resource,
    askedAt: new Date(row.asked_at),
    deadline: row.deadline === null ? null : new Date(row.deadline),
    agreementId: row.agreement_id,
    recordKey: row.record_key,
    verifyFields: row.verify_fields === null ? null : (JSON.parse(row.verify_fields) as string[]),
    status,
    answeredAt: row.answered_at === null ? null : new Date(row.answered_at),
    answer: row.answer === null ? null : (JSON.parse(row.answer) as RequestAnswer),
    askedBy: row.asked_by,
    verifyValues: row.verify_values === null ? null : (JSON.parse(row.verify_values) as Record<string, string>),
  };
}

export const isAnswerStatus = (value: string): value is AnswerStatus => value !== 'pending' && STATUSES.has(value);
