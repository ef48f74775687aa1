import { graphErrors } from './graphErrors.js';
import type { RequestContext } from './graphRoute.js';

/** The parsed JSON body as an object; 400 when it is missing or not a JSON object. */
export function requestBody(context: RequestContext): Record<string, unknown> {
  if (context.body === undefined) throw graphErrors.bodyRequired();
  if (typeof context.body !== 'object' || context.body === null || Array.isArray(context.body)) throw graphErrors.malformedJson();
  return context.body as Record<string, unknown>;
}
