import { graphErrors } from './graphErrors.js';

/**
 * Opaque paging tokens: the collection they belong to and the index of the next item. A token from another
 * collection, or one that does not decode, gets Graph's expired-page-token error.
 */
export const skipToken = {
  encode: (collection: string, offset: number): string => Buffer.from(JSON.stringify({ c: collection, o: offset })).toString('base64url'),
  decode: (token: string, collection: string, total: number): number => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      throw graphErrors.expiredPageToken();
    }
    const { c, o } = (parsed ?? {}) as { c?: unknown; o?: unknown };
    if (c !== collection || typeof o !== 'number' || !Number.isInteger(o) || o < 0 || o > total) throw graphErrors.expiredPageToken();
    return o;
  },
} as const;
