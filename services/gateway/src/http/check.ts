import { TypeBoxValidatorCompiler, type Static, type TSchema } from '@fastify/type-provider-typebox';

/**
 * A type guard for `schema`, compiled by TypeBox as the type provider
 * compiles route schemas: for what the gateway reads from other services (the
 * router's answers), so those are checked against the same schemas the
 * gateway's own answers are declared with. Nothing is converted or removed.
 */
export function schemaCheck<T extends TSchema>(schema: T): (value: unknown) => value is Static<T> {
  const validate = TypeBoxValidatorCompiler({ schema, method: 'GET', url: '/', httpPart: 'body' });
  return (value: unknown): value is Static<T> => {
    const result = validate(value);
    return typeof result === 'boolean' ? result : typeof result === 'object' && result !== null && !('then' in result) && result.error === undefined;
  };
}
