import type { FastifyInstance } from 'fastify';
import { jsonTooDeep } from '@hub/runtime';
import { errors } from '../errors.ts';
import { withFieldProblems } from './field-problems.ts';

/**
 * The JSON body parser of every route: fastify's own (`__proto__` refused,
 * `constructor` let through, as by default) after a depth check on the text, so
 * a body nested thousands deep is a 400 naming where, not a stack overflow in
 * whatever walks it next. JSON.parse itself takes any depth.
 */
export function boundedJsonParser(app: FastifyInstance, maxDepth: number): void {
  const parse = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const deep = jsonTooDeep(text, maxDepth);
    if (deep) {
      const field = deep.item === undefined ? 'body' : `body.${deep.item}`;
      done(withFieldProblems(new errors.TOO_DEEP(maxDepth), [{ field, reason: `nested deeper than ${maxDepth} levels (at character ${deep.offset})` }]), undefined);
      return;
    }
    parse(request, text, done);
  });
}
