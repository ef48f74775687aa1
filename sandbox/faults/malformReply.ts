import type { Reply } from '../http/graphRoute.js';
import type { MalformedShape } from './faultRules.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` for a Graph collection, `responses` for a $batch answer. */
const collectionKey = (body: Record<string, unknown>): string | undefined =>
  Array.isArray(body.value) ? 'value' : Array.isArray(body.responses) ? 'responses' : undefined;

/** The first property a client needs: `id` when there is one, else the first that is not OData metadata. */
const keyField = (body: Record<string, unknown>): string | undefined =>
  'id' in body ? 'id' : Object.keys(body).find((key) => !key.startsWith('@odata.'));

/**
 * A successful answer broken in one of the ways real services occasionally break them; undefined when the shape does
 * not apply to this answer (no JSON object body, or no collection for `emptyPageWithNextLink`).
 *
 * - `invalidJson`: the JSON text cut in half.
 * - `missingField`: a collection without its `value` (`responses`) array; an entity without `id` (or its first property).
 * - `wrongType`: `value` is a number instead of an array; an entity's key property flips between string and number.
 * - `emptyPageWithNextLink`: `value: []` with an `@odata.nextLink` back to this same page.
 */
export function malformReply(reply: Reply, shape: MalformedShape, requestUrl: URL): Reply | undefined {
  if (reply.status < 200 || reply.status > 299 || !isRecord(reply.body)) return undefined;
  const body = reply.body;
  const collection = collectionKey(body);
  switch (shape) {
    case 'invalidJson': {
      const text = JSON.stringify(body);
      return { ...reply, rawBody: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    case 'missingField': {
      const key = collection ?? keyField(body);
      if (key === undefined) return undefined;
      const broken = { ...body };
      delete broken[key];
      return { ...reply, body: broken };
    }
    case 'wrongType': {
      if (collection !== undefined) return { ...reply, body: { ...body, [collection]: (body[collection] as unknown[]).length } };
      const key = keyField(body);
      if (key === undefined) return undefined;
      return { ...reply, body: { ...body, [key]: typeof body[key] === 'number' ? String(body[key]) : 12345 } };
    }
    case 'emptyPageWithNextLink': {
      if (collection !== 'value') return undefined;
      const { '@odata.nextLink': _next, value: _value, ...rest } = body;
      return { ...reply, body: { ...rest, '@odata.nextLink': requestUrl.href, value: [] } };
    }
  }
}
