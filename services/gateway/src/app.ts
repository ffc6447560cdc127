import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { DepartmentConnector } from '@hub/connector-core';
import { createLogger, kafkaPlugin, observability, type Logger } from '@hub/runtime';
import type { AuditLog } from './audit/audit-event.ts';
import { authPlugin } from './auth/plugin.ts';
import { parseTokens } from './auth/tokens.ts';
import type { CaseDesk, ItemDesk } from './cases/case-desk.ts';
import type { CaseLog } from './cases/case-log.ts';
import { caseRoutes } from './cases/routes.ts';
import { caseStepRoutes } from './cases/step-routes.ts';
import type { GatewayConfig } from './config.ts';
import { departmentConnectorModules, departmentConnectors } from './departments.ts';
import { errors, RETRY_AFTER_SECONDS } from './errors.ts';
import { abuseLimits } from './http/abuse-limits.ts';
import { boundedJsonParser } from './http/json-body.ts';
import { Problem } from './http/schemas.ts';
import { createGatewayMetrics } from './metrics.ts';
import { itemRoutes } from './items/routes.ts';
import type { AgreementDesk, ResourceLookup } from './agreements/agreement-desk.ts';
import { catalogueResources } from './agreements/catalogue.ts';
import { agreementRoutes } from './agreements/routes.ts';
import type { ExchangeDesk } from './exchange/exchange-desk.ts';
import { DEADLINE_MARGIN_MS, routerExchangeDesk } from './exchange/router-exchange-desk.ts';
import { exchangeRoutes } from './exchange/routes.ts';
import { kafkaAuditPlugin } from './plugins/audit.ts';
import { kafkaCaseDeskPlugin } from './plugins/case-desk.ts';
import { kafkaCaseLogPlugin } from './plugins/cases.ts';
import { gatewayTopics } from './topics.ts';
import { recordPublisherPlugin } from './plugins/publisher.ts';
import type { RecordPublisherPort } from './records/publisher-port.ts';
import { resourceDirectory } from './records/resources.ts';
import { recordRoutes } from './records/routes.ts';
import { resourceRoutes } from './records/resource-routes.ts';

/**
 * What the gateway talks to. Each port left out is built on Kafka and the
 * registry from the configuration; tests of the HTTP contract pass their own.
 */
export interface GatewayDeps {
  now?: () => Date;
  connectors?: readonly DepartmentConnector[];
  publisher?: RecordPublisherPort;
  audit?: AuditLog;
  cases?: CaseLog;
  /** The router's case aggregate and item table; given together, or both built on Kafka. */
  caseDesk?: CaseDesk;
  itemDesk?: ItemDesk;
  agreementDesk?: AgreementDesk;
  /** The catalog's entry of a resource code; GET /catalog/resources of SCHEMA_REGISTRY_URL when not given. */
  resources?: ResourceLookup;
  /** The router's data requests; its internal HTTP API at GATEWAY_ROUTER_URL when not given. */
  exchangeDesk?: ExchangeDesk;
}

export const gatewayApp: FastifyPluginAsyncTypebox<{ config: GatewayConfig; logger: Logger; deps?: GatewayDeps }> = async (app, { config, logger, deps = {} }) => {
  const now = deps.now ?? (() => new Date());
  const directory = resourceDirectory(deps.connectors ?? departmentConnectors);
  const tokens = parseTokens(config.GATEWAY_TOKENS);

  await app.register(observability, { service: 'gateway' });
  boundedJsonParser(app, config.GATEWAY_MAX_JSON_DEPTH);
  app.addSchema(Problem);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Government data exchange hub: gateway',
        description: 'The HTTP front door for departmental systems (record pushes, co-approval answers, decisions, sharing agreements and data requests), service-centre windows (case submissions and their steps) and the operator (the item table). Every /v1 call needs `Authorization: Bearer <token>`; a department publishes only its own resources and acts only on the tasks addressed to it. Errors are problem+json (RFC 9457); a 503 carries Retry-After.',
        version: '0.1.0',
      },
      servers: [{ url: `http://${config.GATEWAY_HOST}:${config.GATEWAY_PORT}` }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Token of a department, the windows or the operator, from GATEWAY_TOKENS' } } },
      tags: [
        { name: 'records', description: 'Departmental systems push native records' },
        { name: 'cases', description: 'Service-centre windows submit cases and take them through acceptance, co-approval, decision, fee, certificate, delivery and review with the departments' },
        { name: 'items', description: 'The operator keeps the item table (事项表): limits, co-approval stages, fees, certificates' },
        { name: 'agreements', description: 'Departments subscribe to each other\'s resources under sharing agreements (共享协议), which the owners approve' },
        { name: 'exchange', description: 'Departments ask one record of another\'s resource, or verify values against it (核验), under their agreements; the owners\' systems answer forwarded requests' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const desks = deps.caseDesk && deps.itemDesk && deps.agreementDesk ? { caseDesk: deps.caseDesk, itemDesk: deps.itemDesk, agreementDesk: deps.agreementDesk } : undefined;
  const needsKafka = !deps.publisher || !deps.audit || !deps.cases || !desks;
  if (needsKafka) await app.register(kafkaPlugin, {
    brokers: config.KAFKA_BROKERS,
    clientId: `hub-${config.GATEWAY_INSTANCE_ID}`,
    registryUrl: config.SCHEMA_REGISTRY_URL,
    logger,
    topics: gatewayTopics(config, directory),
  });
  if (deps.audit) app.decorate('auditLog', deps.audit);
  else await app.register(kafkaAuditPlugin, { config });
  if (deps.publisher) app.decorate('recordPublisher', deps.publisher);
  // Connectors given directly (tests) are not known by module: their records are prepared in the publisher's thread.
  else await app.register(recordPublisherPlugin, { config, logger, directory, ...(deps.connectors ? {} : { connectorModules: departmentConnectorModules }) });
  if (deps.cases) app.decorate('caseLog', deps.cases);
  else await app.register(kafkaCaseLogPlugin, { config, logger });
  if (desks) {
    app.decorate('caseDesk', desks.caseDesk);
    app.decorate('itemDesk', desks.itemDesk);
    app.decorate('agreementDesk', desks.agreementDesk);
  } else await app.register(kafkaCaseDeskPlugin, { config, logger });

  // A client told to come back (Kafka or the router unreachable) is told when.
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof errors.UNAVAILABLE) void reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  });

  await abuseLimits(app, tokens, { rateLimit: config.GATEWAY_RATE_LIMIT, windowMs: config.GATEWAY_RATE_WINDOW_MS, apiBodyLimit: config.GATEWAY_API_BODY_LIMIT });
  await app.register(authPlugin, { tokens, audit: app.auditLog, now });
  const metrics = createGatewayMetrics(app.metrics);
  await app.register(recordRoutes, { directory, publisher: app.recordPublisher, maxBatch: config.GATEWAY_MAX_BATCH, maxJsonDepth: config.GATEWAY_MAX_JSON_DEPTH, now, metrics });
  await app.register(caseRoutes, { cases: app.caseLog, now, metrics });
  await app.register(caseStepRoutes, { desk: app.caseDesk, now, metrics });
  await app.register(itemRoutes, { desk: app.itemDesk, now, metrics });
  await app.register(agreementRoutes, { desk: app.agreementDesk, resources: deps.resources ?? catalogueResources(config.SCHEMA_REGISTRY_URL), now });
  await app.register(exchangeRoutes, {
    desk: deps.exchangeDesk ?? routerExchangeDesk({ routerUrl: config.GATEWAY_ROUTER_URL, token: config.GATEWAY_ROUTER_TOKEN, timeoutMs: config.GATEWAY_ROUTER_TIMEOUT_MS, askTimeoutMs: config.GATEWAY_ROUTER_TIMEOUT_MS + DEADLINE_MARGIN_MS }),
    metrics,
  });
  await app.register(resourceRoutes, { directory });
};

export async function buildApp(config: GatewayConfig, deps: GatewayDeps & { logger?: Logger } = {}): Promise<FastifyInstance> {
  const { logger = createLogger('gateway', config.LOG_LEVEL), ...rest } = deps;
  const loggerInstance: FastifyBaseLogger = logger;
  // Request ids name pushes in the dead letters and the audit trail: unique across restarts, or the caller's X-Request-Id.
  const app = Fastify({
    loggerInstance,
    bodyLimit: config.GATEWAY_BODY_LIMIT,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Slow clients (slowloris): the whole request, and its headers, within a bound; idle keep-alive sockets closed.
    requestTimeout: config.GATEWAY_REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.GATEWAY_KEEP_ALIVE_TIMEOUT_MS,
  });
  app.server.headersTimeout = config.GATEWAY_HEADERS_TIMEOUT_MS;
  await app.register(gatewayApp, { config, logger, deps: rest });
  return app;
}
