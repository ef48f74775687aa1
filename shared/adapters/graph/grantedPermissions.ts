/** The application permissions granted to the app, as its Graph access token states them. */
export type GrantedPermissions =
  | { readonly readable: true; readonly roles: readonly string[] }
  | { readonly readable: false; readonly detail: string };

/** Hands out the access token the Graph client sends (`GraphConnection.accessToken`). */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
}

/**
 * Reads the `roles` claim of the app's own Graph access token: the application permissions admin-consented when
 * the token was issued, which is what Graph authorizes every call against (docs/graph-behaviour.md#tokens-and-permissions).
 * The payload is only decoded, not verified: this is our own grant, fetched over TLS from Entra, and reading it
 * decides nothing Graph would not refuse anyway. A token with no app role has no `roles` claim: nothing is granted.
 * A token that is not a readable JWT (Microsoft reserves the right to change the format) is reported as such,
 * never guessed at; the token itself never leaves this function.
 */
export async function readGrantedPermissions(source: AccessTokenSource): Promise<GrantedPermissions> {
  const token = await source.accessToken();
  const parts = token.split('.');
  if (parts.length !== 3) return { readable: false, detail: 'the access token is not a JWT' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return { readable: false, detail: 'the access token payload is not JSON' };
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return { readable: false, detail: 'the access token payload is not a claims object' };
  const roles = (claims as { roles?: unknown }).roles;
  if (roles === undefined) return { readable: true, roles: [] };
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) return { readable: false, detail: "the access token's roles claim is not a list of names" };
  return { readable: true, roles };
}
