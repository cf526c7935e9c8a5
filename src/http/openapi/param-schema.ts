import type { ParamSpec } from '../param-reader.js';

/**
 * The OpenAPI description of a query parameter, made from the spec its validator
 * enforces (so ranges, defaults and enums cannot drift from what is accepted).
 */
export function openApiParameter(spec: ParamSpec, description: string): Record<string, unknown> {
  const base = { name: spec.name, in: 'query', description };
  switch (spec.kind) {
    case 'string':
      return { ...base, schema: { type: 'string', maxLength: spec.maxLength, default: spec.default } };
    case 'integer':
      return { ...base, schema: { type: 'integer', minimum: spec.min, maximum: spec.max, default: spec.default } };
    case 'enum':
      return { ...base, schema: { type: 'string', enum: [...spec.values], default: spec.default } };
    case 'date':
      return { ...base, schema: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] } };
    case 'list':
      return {
        ...base,
        style: 'form',
        explode: true,
        schema: { type: 'array', maxItems: spec.maxValues, items: { type: 'string', maxLength: spec.maxLength } },
      };
    case 'csv':
      return {
        ...base,
        style: 'form',
        explode: false,
        schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: [...spec.values] } },
      };
  }
}
