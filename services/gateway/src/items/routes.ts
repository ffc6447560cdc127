import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { ItemRefusal } from '@hub/router';
import { principalDescription } from '../auth/tokens.ts';
import type { ItemDesk } from '../cases/case-desk.ts';
import { errors } from '../errors.ts';
import { withFieldProblems, type FieldProblem } from '../http/field-problems.ts';
import { authProblems, problemRef } from '../http/schemas.ts';
import { orUnavailable } from '../http/unavailable.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { DefinitionAnswer, ItemDefinition, ItemList, ItemParams } from './definition.ts';

export interface ItemRoutesOptions {
  desk: ItemDesk;
  now: () => Date;
  metrics: GatewayMetrics;
}

/**
 * The router's problems named as the request's fields: the item code is the
 * path's (`params.itemCode`), the rest the body's, in the schema failures' form
 * (`stages[0].dueDays` → `body.stages.0.dueDays`). A bad code is answered on
 * its own (it cannot pass the path's pattern, so it hardly happens).
 */
function problemsOf(refusal: ItemRefusal): FieldProblem[] {
  const named = refusal.problems.map(({ field, message }) => ({
    field: field === 'code' ? 'params.itemCode' : ['body', ...field.split(/[.[\]]+/).filter(Boolean)].join('.'),
    reason: message,
  }));
  const ofPath = named.filter((problem) => problem.field.startsWith('params.'));
  return ofPath.length > 0 ? ofPath : named;
}

/** PUT /v1/items/{itemCode} and GET /v1/items: the operator keeps the item table (事项表) the router decides cases by. */
export const itemRoutes: FastifyPluginAsyncTypebox<ItemRoutesOptions> = async (app, { desk, now, metrics }) => {
  const codeOf = (request: FastifyRequest): string => {
    const value: unknown = typeof request.params === 'object' && request.params !== null ? Reflect.get(request.params, 'itemCode') : undefined;
    return typeof value === 'string' ? value : '?';
  };

  app.put('/v1/items/:itemCode', {
    schema: {
      summary: 'Define or redefine an item (事项)',
      description: 'The operator defines an item: its lead department, legal and promised limits in working days, co-approval stages, fee and certificate. Recorded as ItemDefined on items.events (a new version) unless it is the same definition again. Cases accepted afterwards follow it; a case keeps the plan it was accepted under. Operator token only.',
      tags: ['items'],
      security: [{ bearer: [] }],
      params: ItemParams,
      body: ItemDefinition,
      response: {
        200: { ...DefinitionAnswer, description: 'Redefined (a new version), or the same definition again (changed false)' },
        201: { ...DefinitionAnswer, description: 'Defined for the first time (version 1)' },
        400: problemRef,
        ...authProblems,
      },
    },
    onRequest: async (request) => {
      const principal = app.authenticate(request);
      if (principal.kind !== 'operator') throw new errors.FORBIDDEN_ITEMS(principalDescription(principal));
    },
    onError: app.auditErrors((request) => ({ action: 'items.define', target: codeOf(request) })),
  }, async (request, reply) => {
    const { itemCode } = request.params;
    const outcome = await orUnavailable(() => desk.define({ ...request.body, code: itemCode }, 'operator', now()));
    if (!outcome.ok) {
      metrics.itemDefinitions.inc({ outcome: 'invalid' });
      throw withFieldProblems(new errors.INVALID_ITEM(), problemsOf(outcome.refusal));
    }
    const { answer } = outcome;
    metrics.itemDefinitions.inc({ outcome: answer.changed ? 'changed' : 'unchanged' });
    const status = answer.changed && answer.version === 1 ? 201 : 200;
    await app.auditAccepted(request, { action: 'items.define', target: itemCode }, { status, itemVersion: answer.version });
    return reply.code(status).send({ itemCode: answer.itemCode, version: answer.version, changed: answer.changed });
  });

  app.get('/v1/items', {
    schema: {
      summary: 'List the items (事项目录)',
      description: 'Every item of the router\'s table as it stands, with its version and when that version was defined. Any token: the operator, the windows and every department.',
      tags: ['items'],
      security: [{ bearer: [] }],
      response: { 200: ItemList, ...authProblems },
    },
    onRequest: async (request) => {
      app.authenticate(request);
    },
    onError: app.auditErrors(() => ({ action: 'items.list', target: 'items' })),
  }, async (request, reply) => {
    const defined = await orUnavailable(() => desk.list());
    const items = defined
      .map(({ item, version, definedAt }) => ({
        itemCode: item.code,
        name: item.name,
        leadDepartment: item.leadDepartment,
        legalDays: item.legalDays,
        promisedDays: item.promisedDays,
        stages: item.stages.map((stage) => ({ departments: [...stage.departments], dueDays: stage.dueDays })),
        fee: item.fee ? { amount: item.fee.amount, basis: item.fee.basis } : null,
        certificateType: item.certificateType ?? null,
        version,
        definedAt: definedAt.toISOString(),
      }))
      .sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0));
    await app.auditAccepted(request, { action: 'items.list', target: 'items' }, { status: 200 });
    return reply.code(200).send({ items });
  });
};
