import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchema, FastifySchemaCompiler } from 'fastify';

/**
 * Bodies are validated strictly: a number where a name belongs is an error, not "5". Query strings,
 * path parameters and headers are text on the wire, so there types are coerced ("2" → 2).
 */
export function validatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const make = (coerceTypes: boolean | 'array') => {
    const ajv = new Ajv({
      coerceTypes,
      removeAdditional: false,
      allErrors: false,
      useDefaults: true,
      strict: false,
    });
    addFormats.default(ajv);
    return ajv;
  };
  const strict = make(false);
  const coercing = make('array');
  return ({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}
