import { randomBytes, randomUUID } from 'node:crypto';
import { hasHs256Signature, readJwtClaims, signHs256 } from './hs256.js';

/** The audience Entra expects in a token presented as a federated client assertion. */
export const tokenExchangeAudience = 'api://AzureADTokenExchange';
export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A federated identity credential of the app registration: whose tokens Entra accepts as the app's credential. */
export interface FederatedIdentityCredential {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

/** The user-assigned managed identity the sandbox's identity endpoint serves (the Function App's, in Azure). */
export interface ManagedIdentity {
  readonly clientId: string;
  /** Its service principal's object id: the `sub` of its tokens and the subject a federated credential names. */
  readonly principalId: string;
  /** The tenant it lives in (the managing tenant): its tokens' issuer is that tenant's v2.0 authority. */
  readonly tenantId: string;
}

export interface WorkloadIdentityOptions {
  /** Ids of the managed identity (default: generated; its tenant the sandbox's first tenant). */
  readonly managedIdentity?: Partial<ManagedIdentity>;
  /** The app's federated identity credentials (default: one trusting the managed identity's tokens). */
  readonly federatedCredentials?: readonly FederatedIdentityCredential[];
  /** Lifetime of the managed identity's tokens in seconds (default 86,400: about a day, as Entra's). */
  readonly tokenLifetimeSeconds?: number;
}

/** Entra's refusal of a client assertion: status, OAuth error, AADSTS code and description. */
export interface AssertionRefusal {
  readonly status: number;
  readonly error: string;
  readonly code: number;
  readonly description: string;
}

export interface WorkloadIdentity {
  readonly managedIdentity: ManagedIdentity;
  /** `<origin>/<managed identity tenant>/v2.0`: the `iss` of the managed identity's tokens. */
  readonly issuer: string;
  federatedCredentials(): readonly FederatedIdentityCredential[];
  /** Replaces the app's federated credentials, checked as Graph checks them (RangeError naming the field). */
  setFederatedCredentials(credentials: unknown): readonly FederatedIdentityCredential[];
  /** A token of the managed identity for `resource` (only the token-exchange audience is issued). */
  issueManagedIdentityToken(resource: string): { readonly token: string; readonly expiresOnSeconds: number };
  /** Checks a client assertion as Entra does for an app with federated credentials; undefined when it is accepted. */
  refuseAssertion(assertion: string): AssertionRefusal | undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const workloadIdentityDocs = 'https://learn.microsoft.com/entra/workload-id/workload-identity-federation';

/** Graph's rules for an application's federatedIdentityCredentials: at most 20, unique names, issuer, subject and one audience. */
function checkFederatedCredentials(value: unknown): FederatedIdentityCredential[] {
  if (!Array.isArray(value)) throw new RangeError("federatedCredentials: expected 'federatedCredentials' to be a list");
  if (value.length > 20) throw new RangeError('federatedCredentials: an application holds at most 20 federated identity credentials');
  const names = new Set<string>();
  return value.map((entry: unknown, index) => {
    if (!isRecord(entry)) throw new RangeError(`federatedCredentials[${index}]: expected an object with name, issuer, subject and audiences`);
    const { name, issuer, subject, audiences } = entry;
    for (const [field, text] of [['name', name], ['issuer', issuer], ['subject', subject]] as const) {
      if (typeof text !== 'string' || text === '') throw new RangeError(`federatedCredentials[${index}]: expected '${field}' to be a non-empty string`);
    }
    if (!Array.isArray(audiences) || audiences.length !== 1 || typeof audiences[0] !== 'string') throw new RangeError(`federatedCredentials[${index}]: expected 'audiences' to hold exactly one audience`);
    if (names.has(name as string)) throw new RangeError(`federatedCredentials[${index}]: the name '${String(name)}' is already used`);
    names.add(name as string);
    return { name: name as string, issuer: issuer as string, subject: subject as string, audiences: [audiences[0]] };
  });
}

/**
 * Workload identity federation as Entra does it (docs/graph-behaviour.md#multi-tenant-apps): a managed identity whose
 * tokens (audience `api://AzureADTokenExchange`) the app registration trusts through a federated identity credential;
 * each tenant's token endpoint accepts such a token as the app's client assertion. Matching is exact and case-sensitive
 * on issuer, subject and audience; the refusals carry Entra's codes (70021, 700211, 700213, 700212, 700027, 700024).
 */
export function createWorkloadIdentity(options: WorkloadIdentityOptions & { readonly origin: string; readonly defaultTenantId: string; readonly realNowMs?: () => number }): WorkloadIdentity {
  const key = randomBytes(32);
  const realNowMs = options.realNowMs ?? Date.now;
  const lifetimeSeconds = options.tokenLifetimeSeconds ?? 86_400;
  const managedIdentity: ManagedIdentity = {
    clientId: options.managedIdentity?.clientId ?? randomUUID(),
    principalId: options.managedIdentity?.principalId ?? randomUUID(),
    tenantId: options.managedIdentity?.tenantId ?? options.defaultTenantId,
  };
  const issuer = `${options.origin}/${managedIdentity.tenantId}/v2.0`;
  let credentials = checkFederatedCredentials(
    options.federatedCredentials ?? [{ name: 'function-app-identity', issuer, subject: managedIdentity.principalId, audiences: [tokenExchangeAudience] }],
  );

  const refusal = (status: number, error: string, code: number, description: string): AssertionRefusal => ({ status, error, code, description });

  return {
    managedIdentity,
    issuer,
    federatedCredentials: () => credentials,
    setFederatedCredentials: (value) => {
      credentials = checkFederatedCredentials(value);
      return credentials;
    },
    issueManagedIdentityToken: (resource) => {
      if (resource !== tokenExchangeAudience) throw new RangeError(`managed identity: the sandbox issues tokens for '${tokenExchangeAudience}' only`);
      const now = Math.floor(realNowMs() / 1000);
      const expiresOnSeconds = now + lifetimeSeconds;
      const claims = {
        aud: tokenExchangeAudience,
        iss: issuer,
        iat: now,
        nbf: now,
        exp: expiresOnSeconds,
        sub: managedIdentity.principalId,
        oid: managedIdentity.principalId,
        azp: managedIdentity.clientId,
        tid: managedIdentity.tenantId,
        idtyp: 'app',
        ver: '2.0',
        uti: randomBytes(16).toString('base64url'),
      };
      return { token: signHs256(claims, key, 'sandbox-mi'), expiresOnSeconds };
    },
    refuseAssertion: (assertion) => {
      const claims = readJwtClaims(assertion);
      if (claims === undefined) return refusal(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
      const text = (value: unknown): string => (typeof value === 'string' ? value : '');
      const [iss, sub, aud] = [text(claims.iss), text(claims.sub), text(claims.aud)];
      if (credentials.length === 0) {
        return refusal(400, 'invalid_request', 70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud}'. ${workloadIdentityDocs}`);
      }
      const byIssuer = credentials.filter((credential) => credential.issuer === iss);
      if (byIssuer.length === 0) {
        return refusal(401, 'invalid_client', 700211, `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${workloadIdentityDocs}`);
      }
      const bySubject = byIssuer.filter((credential) => credential.subject === sub);
      if (bySubject.length === 0) {
        return refusal(401, 'invalid_client', 700213, `No matching federated identity record found for presented assertion subject '${sub}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${workloadIdentityDocs}`);
      }
      if (!bySubject.some((credential) => credential.audiences.includes(aud))) {
        return refusal(401, 'invalid_client', 700212, `No matching federated identity record found for presented assertion audience '${aud}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${workloadIdentityDocs}`);
      }
      // The issuer's signing keys: only the sandbox's managed identity issues tokens an issuer here can vouch for.
      if (iss !== issuer || !hasHs256Signature(assertion, key)) return refusal(401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
      const now = Math.floor(realNowMs() / 1000);
      const [nbf, exp] = [claims.nbf, claims.exp].map((value) => (typeof value === 'number' ? value : Number.NaN)) as [number, number];
      if (!(nbf <= now + 300) || !(exp > now)) {
        return refusal(400, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${new Date(now * 1000).toISOString()}, assertion valid from ${Number.isFinite(nbf) ? new Date(nbf * 1000).toISOString() : 'unknown'}, expiry time of assertion ${Number.isFinite(exp) ? new Date(exp * 1000).toISOString() : 'unknown'}.`);
      }
      return undefined;
    },
  };
}
