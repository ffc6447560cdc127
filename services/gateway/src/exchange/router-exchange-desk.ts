import { Type, type Static } from '@fastify/type-provider-typebox';
import { schemaCheck } from '../http/check.ts';
import type { FieldProblem } from '../http/field-problems.ts';
import type { ExchangeDesk, ExchangeOutcome, ExchangeRefusal } from './exchange-desk.ts';
import { RequestAnswer, RequestView, ResponseAnswer } from './schemas.ts';

/**
 * How much longer than GATEWAY_ROUTER_TIMEOUT_MS a data request waits for the
 * router: a forwarded request is held by the router until the owner answers
 * or its deadline (30 s by default) passes, and the router's `timeout` answer
 * should reach the requester before the gateway gives up on the call.
 */
export const DEADLINE_MARGIN_MS = 5_000;

export interface RouterExchangeDeskOptions {
  /** e.g. http://127.0.0.1:8085 (GATEWAY_ROUTER_URL) */
  routerUrl: string;
  /** How long a response or a read waits for the router. */
  timeoutMs: number;
  /** How long a request waits: longer than the router's deadline of a forwarded one. */
  askTimeoutMs: number;
  /** The router's ROUTER_INTERNAL_TOKEN (GATEWAY_ROUTER_TOKEN), sent as a bearer token; empty: none. */
  token?: string;
  fetch?: typeof fetch;
}

/** The router could not be asked, or answered outside its contract: the gateway answers 503 and logs this as the cause. */
export class RouterExchangeError extends Error {
  override name = 'RouterExchangeError';
}

/** A problem+json of the router, as far as the gateway reads it. */
const RouterProblem = Type.Object({
  detail: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) }))),
});
const isProblem = schemaCheck(RouterProblem);
const isAnswer = schemaCheck(RequestAnswer);
const isResponseAnswer = schemaCheck(ResponseAnswer);
const isView = schemaCheck(RequestView);

/**
 * The router's data requests over its internal HTTP API
 * (`/internal/v1/exchange/requests`). The router's 400, 403, 404 and 409 are
 * refusals the routes answer as the gateway's problems; a router that is not
 * reachable, answers 503 (while it starts) or anything else is an error, which
 * the routes answer 503 with Retry-After.
 */
export function routerExchangeDesk(options: RouterExchangeDeskOptions): ExchangeDesk {
  const base = options.routerUrl.replace(/\/$/, '');
  const send = options.fetch ?? fetch;
  const authorization: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};

  async function call<T>(method: 'GET' | 'POST', path: string, body: unknown, waitMs: number, isExpected: (value: unknown) => value is T): Promise<ExchangeOutcome<T>> {
    let response: Response;
    let text: string;
    try {
      response = await send(`${base}${path}`, {
        method,
        headers: body === undefined ? { accept: 'application/json', ...authorization } : { accept: 'application/json', 'content-type': 'application/json; charset=utf-8', ...authorization },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(waitMs),
      });
      text = await response.text();
    } catch (error) {
      throw new RouterExchangeError(`the router at ${base} did not answer ${method} ${path}`, { cause: error });
    }
    const parsed = parseJson(text);
    if (response.status === 200) {
      if (!isExpected(parsed)) throw new RouterExchangeError(`the router answered ${method} ${path} with a body outside its contract: ${text.slice(0, 300)}`);
      return { ok: true, answer: parsed };
    }
    const refusal = refusalOf(response.status, isProblem(parsed) ? parsed : {});
    if (refusal === undefined) throw new RouterExchangeError(`the router answered ${method} ${path} with ${response.status}${response.status === 503 ? ` (Retry-After ${response.headers.get('retry-after') ?? '-'})` : ''}: ${text.slice(0, 300)}`);
    return { ok: false, refusal };
  }

  const path = (requestId: string) => `/internal/v1/exchange/requests/${encodeURIComponent(requestId)}`;
  return {
    ask: (request) => call('POST', '/internal/v1/exchange/requests', request, options.askTimeoutMs, isAnswer),
    respond: (requestId, response) => call('POST', `${path(requestId)}/response`, response, options.timeoutMs, isResponseAnswer),
    read: (requestId, department) => call('GET', `${path(requestId)}?department=${encodeURIComponent(department)}`, undefined, options.timeoutMs, isView),
  };
}

function refusalOf(status: number, problem: Static<typeof RouterProblem>): ExchangeRefusal | undefined {
  const message = problem.detail ?? problem.title ?? `the router answered ${status}`;
  switch (status) {
    case 400:
      return { type: 'InvalidRequest', message, fields: (problem.errors ?? []).map((e): FieldProblem => ({ field: bodyField(e.field), reason: e.message ?? e.reason ?? message })) };
    case 403:
      return { type: 'NotYours', message };
    case 404:
      return { type: 'RequestNotFound', message };
    case 409:
      return { type: 'RequestClosed', message };
    default:
      return undefined;
  }
}

/** A field as the router names it (`key.idNumber`, `body.verify.name`, `/verify/name`), from the body's root. */
function bodyField(field: string): string {
  return field.replace(/^\//, '').replace(/\//g, '.').replace(/^body\./, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
