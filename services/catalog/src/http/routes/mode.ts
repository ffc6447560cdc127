import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { unwrap } from '../../catalog.ts';
import { modeOf } from '../../registry/queries.ts';
import { errors, Flags, ModeBody, SubjectParams } from '../api-schemas.ts';
import type { RouteOptions } from './route-options.ts';

/** Modes: READWRITE, READONLY (no schema writes, 42205), IMPORT (writes keep the ids they bring). */
export const modeRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { operatorOnly }) => {
  const { catalog } = app;

  app.get('/mode', {
    schema: { summary: 'Global mode', response: { 200: ModeBody, ...errors } },
  }, async () => ({ mode: unwrap(modeOf(catalog.state, null)) }));

  app.put('/mode', {
    onRequest: operatorOnly,
    schema: { summary: 'Set the global mode', querystring: Type.Object({ force: Flags.force }), body: ModeBody, response: { 200: ModeBody, ...errors } },
  }, async (request) => catalog.execute({ type: 'SetMode', data: { subject: null, mode: request.body.mode, force: request.query.force } }));

  app.delete('/mode', {
    onRequest: operatorOnly,
    schema: { summary: 'Reset the global mode to READWRITE; answers the previous one', response: { 200: ModeBody, ...errors } },
  }, async () => catalog.execute({ type: 'ClearMode', data: { subject: null } }));

  app.get('/mode/:subject', {
    schema: {
      summary: "A subject's mode",
      params: SubjectParams,
      querystring: Type.Object({ defaultToGlobal: Flags.defaultToGlobal }),
      response: { 200: ModeBody, ...errors },
    },
  }, async (request) => ({ mode: unwrap(modeOf(catalog.state, request.params.subject, request.query.defaultToGlobal)) }));

  app.put('/mode/:subject', {
    onRequest: operatorOnly,
    schema: {
      summary: "Set a subject's mode",
      params: SubjectParams,
      querystring: Type.Object({ force: Flags.force }),
      body: ModeBody,
      response: { 200: ModeBody, ...errors },
    },
  }, async (request) => catalog.execute({ type: 'SetMode', data: { subject: request.params.subject, mode: request.body.mode, force: request.query.force } }));

  app.delete('/mode/:subject', {
    onRequest: operatorOnly,
    schema: { summary: "Remove a subject's own mode; answers the mode it had", params: SubjectParams, response: { 200: ModeBody, ...errors } },
  }, async (request) => catalog.execute({ type: 'ClearMode', data: { subject: request.params.subject } }));
};
