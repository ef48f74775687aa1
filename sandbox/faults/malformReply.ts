import type { Reply } from '../http/graphRoute.js';
import type { MalformedShape } from './faultRules.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` for a Graph collection, `responses` for a $batch answer. */
const collectionKey = (body: Record<string, unknown>): string | undefined =>
  Array.isArray(body.value) ? 'value' : Array.isArray(body.responses) ? 'responses' : undefined;

/** The first property a client needs: `id` when there is one, else the first that is not OData metadata. */
const keyField = (body: Record<string, unknown>): string | undefined =>
  'id' in body ? 'id' : Object.keys(body).find((key) => !key.startsWith('@odata.'));

/** The object holding the property at `path` and the property's name; undefined when the path leads nowhere. */
function locate(body: Record<string, unknown>, path: readonly string[]): { holder: Record<string, unknown> | unknown[]; key: string | number } | undefined {
  let current: unknown = body;
  for (const [index, segment] of path.entries()) {
    let key: string | number = segment;
    if (Array.isArray(current)) {
      key = /^\d+$/.test(segment) ? Number(segment) : current.findIndex((item) => isRecord(item) && typeof item.id === 'string' && item.id.toLowerCase() === segment.toLowerCase());
      if (key < 0 || key >= current.length) return undefined;
    } else if (!isRecord(current) || !(segment in current)) return undefined;
    if (index === path.length - 1) return { holder: current as Record<string, unknown> | unknown[], key };
    current = (current as Record<string | number, unknown>)[key];
  }
  return undefined;
}

/** The property at `field` removed (`missingField`) or given another type (`wrongType`), in a copy of the body. */
function breakField(body: Record<string, unknown>, shape: 'missingField' | 'wrongType', field: string): Record<string, unknown> | undefined {
  const copy = structuredClone(body);
  const found = locate(copy, field.split('.'));
  if (found === undefined) return undefined;
  const { holder, key } = found;
  const holderRecord = holder as Record<string | number, unknown>;
  if (shape === 'missingField') {
    if (Array.isArray(holder)) holder.splice(key as number, 1);
    else delete holderRecord[key];
  } else {
    const value = holderRecord[key];
    holderRecord[key] = typeof value === 'string' ? 12345 : typeof value === 'number' ? String(value) : typeof value === 'boolean' ? String(value) : Array.isArray(value) ? value.length : 'broken';
  }
  return copy;
}

/**
 * A successful answer broken in one of the ways real services occasionally break them; undefined when the shape does
 * not apply to this answer (no JSON object body, or no collection for `emptyPageWithNextLink`).
 *
 * - `invalidJson`: the JSON text cut in half.
 * - `missingField`: a collection without its `value` (`responses`) array; an entity without `id` (or its first property).
 * - `wrongType`: `value` is a number instead of an array; an entity's key property flips between string and number.
 * - with `field`: that property removed, or given another type (string ↔ number, boolean → string, array → number).
 * - `emptyPageWithNextLink`: `value: []` with an `@odata.nextLink` back to this same page.
 */
export function malformReply(reply: Reply, shape: MalformedShape, requestUrl: URL, field?: string): Reply | undefined {
  if (reply.status < 200 || reply.status > 299 || !isRecord(reply.body)) return undefined;
  const body = reply.body;
  if (field !== undefined && (shape === 'missingField' || shape === 'wrongType')) {
    const broken = breakField(body, shape, field);
    return broken === undefined ? undefined : { ...reply, body: broken };
  }
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
