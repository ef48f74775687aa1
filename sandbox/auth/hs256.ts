import { createHmac, timingSafeEqual } from 'node:crypto';

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** A compact JWT signed with HMAC-SHA256 under `key`, with the header `{typ, alg, kid}`. */
export function signHs256(claims: object, key: Buffer, kid: string): string {
  const body = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid }))}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** The claims of a compact JWT, unverified; undefined when it is not one. */
export function readJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** True when the JWT's signature is HMAC-SHA256 of its header and payload under `key`. */
export function hasHs256Signature(token: string, key: Buffer): boolean {
  const [head = '', payload = '', signature = ''] = token.split('.');
  const expected = createHmac('sha256', key).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
