import { randomBytes } from 'node:crypto';
import { hasHs256Signature, readJwtClaims, signHs256 } from './hs256.js';

export const graphAudience = 'https://graph.microsoft.com';

/** The claims of an app-only Graph access token that the sandbox issues and checks. */
export interface AccessTokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly tid: string;
  readonly appid: string;
  readonly app_displayname: string;
  readonly idtyp: 'app';
  /**
   * The app roles (application permissions) consented when the token was issued; Graph authorizes against these, so a
   * later consent change needs a new token. Absent when none is consented, as Entra leaves the claim out then.
   */
  readonly roles?: readonly string[];
  readonly ver: '1.0';
  readonly uti: string;
}

export type TokenCheck =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' | 'audience' | 'tenant' };

export interface TokenService {
  readonly lifetimeSeconds: number;
  issue(app: { clientId: string; displayName: string; roles: readonly string[] }): string;
  verify(token: string): TokenCheck;
}

export interface TokenServiceOptions {
  readonly tenantId: string;
  /** Real time in ms (tokens follow the real clock, not the sandbox clock, because the credential caches them by real time). */
  readonly realNowMs?: () => number;
  readonly lifetimeSeconds?: number;
  /** HMAC key; a fresh random key per sandbox by default, so tokens of another sandbox never validate. */
  readonly key?: Buffer;
}

/** HS256 JWTs shaped like Entra's app-only Graph tokens (aud, tid, appid, roles, idtyp=app). */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const key = options.key ?? randomBytes(32);
  const realNowMs = options.realNowMs ?? Date.now;
  const lifetimeSeconds = options.lifetimeSeconds ?? 3599;
  let lastToken: string | undefined;
  let lastClaims: AccessTokenClaims | undefined;

  return {
    lifetimeSeconds,
    issue: (app) => {
      const now = Math.floor(realNowMs() / 1000);
      const claims: AccessTokenClaims = {
        aud: graphAudience,
        iss: `https://sts.windows.net/${options.tenantId}/`,
        iat: now,
        nbf: now,
        exp: now + lifetimeSeconds,
        tid: options.tenantId,
        appid: app.clientId,
        app_displayname: app.displayName,
        idtyp: 'app',
        ...(app.roles.length === 0 ? {} : { roles: [...app.roles] }),
        ver: '1.0',
        uti: randomBytes(16).toString('base64url'),
      };
      return signHs256(claims, key, 'sandbox');
    },
    verify: (token) => {
      // The client presents the same token for an hour: skip the HMAC and parse for it (the expiry is still checked).
      if (token === lastToken && lastClaims !== undefined) {
        return lastClaims.exp * 1000 <= realNowMs() ? { ok: false, reason: 'expired' } : { ok: true, claims: lastClaims };
      }
      if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
      if (!hasHs256Signature(token, key)) return { ok: false, reason: 'signature' };
      const claims = readJwtClaims(token) as AccessTokenClaims | undefined;
      if (claims === undefined) return { ok: false, reason: 'malformed' };
      if (claims.aud !== graphAudience) return { ok: false, reason: 'audience' };
      if (claims.tid !== options.tenantId) return { ok: false, reason: 'tenant' };
      if (claims.exp * 1000 <= realNowMs()) return { ok: false, reason: 'expired' };
      lastToken = token;
      lastClaims = claims;
      return { ok: true, claims };
    },
  };
}
