import type { FastifyRequest } from 'fastify';

export interface RouteOptions {
  /** onRequest hook of the routes that write: checks the operator token. */
  operatorOnly: (request: FastifyRequest) => Promise<void>;
}
