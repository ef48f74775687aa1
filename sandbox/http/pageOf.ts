import { graphErrors } from './graphErrors.js';
import type { Reply, RequestContext } from './graphRoute.js';
import { skipToken } from './skipToken.js';

export const defaultPageSize = 100;
export const maxPageSize = 999;

/** `$top` as Graph reads it for directory collections: 1–999, 100 when absent. */
export function pageSize(query: URLSearchParams): number {
  const raw = query.get('$top');
  if (raw === null) return defaultPageSize;
  const size = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!(size >= 1 && size <= maxPageSize)) throw graphErrors.invalidPageSize(raw);
  return size;
}

export interface PageSource {
  /** Identifies the collection inside skip tokens, e.g. `users` or `groups/{id}/members`. */
  readonly collection: string;
  readonly total: number;
  /** Renders the item at `index` (0 ≤ index < total). */
  render(index: number): Record<string, unknown>;
  /** `@odata.context` value. */
  readonly contextUrl: string;
  /** Page size, for collections whose size is not the directory's `$top` (1–999, 100 by default). */
  readonly size?: number;
}

/**
 * One page of a collection, computed by index (no scan of the items before it). The next link is absolute https on
 * the sandbox's own origin and keeps every query option of the request except the old `$skiptoken`.
 */
export function pageOf(context: RequestContext, source: PageSource): Reply {
  const size = source.size ?? pageSize(context.query);
  const token = context.query.get('$skiptoken');
  const start = token === null ? 0 : skipToken.decode(token, source.collection, source.total);
  const end = Math.min(start + size, source.total);
  const value: Record<string, unknown>[] = [];
  for (let index = start; index < end; index += 1) value.push(source.render(index));

  const body: Record<string, unknown> = { '@odata.context': source.contextUrl };
  if (end < source.total) {
    const kept: string[] = [];
    for (const [name, raw] of context.query) {
      if (name !== '$skiptoken') kept.push(`${name}=${encodeURIComponent(raw)}`);
    }
    kept.push(`$skiptoken=${skipToken.encode(source.collection, end)}`);
    body['@odata.nextLink'] = `${context.origin}${context.request.url.pathname}?${kept.join('&')}`;
  }
  body.value = value;
  return { status: 200, body };
}
