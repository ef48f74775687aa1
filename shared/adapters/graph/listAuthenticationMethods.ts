import { z } from 'zod';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** How the rollout counts a method (docs/graph-behaviour.md#authentication-methods-list). */
export type MethodKind = 'phone' | 'passkey' | 'authenticator' | 'otherStrong' | 'notStrong';

/** One method of a user as Graph lists it; a phone number is held in memory only, never logged or stored. */
export interface ListedMethod {
  readonly odataType: string;
  readonly kind: MethodKind;
  readonly id: string;
  readonly createdDateTime: string | null;
  readonly phoneNumber: string | null;
  readonly phoneType: string | null;
  /** `fido2AuthenticationMethod.passkeyType` as Graph gives it (absent on older answers). */
  readonly passkeyType: string | null;
  /** Listed by beta only (v1.0 lists only the methods it supports, e.g. not hardware OATH tokens). */
  readonly betaOnly: boolean;
}

/** Not a way to do MFA: the password, email (SSPR only) and a Temporary Access Pass (temporary by design). */
const notStrongTypes = new Set([
  '#microsoft.graph.passwordAuthenticationMethod',
  '#microsoft.graph.emailAuthenticationMethod',
  '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
]);

const namedKinds: Readonly<Record<string, MethodKind>> = {
  '#microsoft.graph.phoneAuthenticationMethod': 'phone',
  '#microsoft.graph.fido2AuthenticationMethod': 'passkey',
  '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod': 'authenticator',
};

/**
 * The kind of an `@odata.type`. Software and hardware OATH, Windows Hello for Business, platform credential and any
 * type the rollout does not know are other strong methods: an unknown type is a method of unknown strength, never
 * "nothing" (a user must not be taken for methodless because Graph added a method type).
 */
export function methodKind(odataType: string): MethodKind {
  return namedKinds[odataType] ?? (notStrongTypes.has(odataType) ? 'notStrong' : 'otherStrong');
}

const nullableString = z.string().nullable().optional().transform((value) => value ?? null);
const methodsSchema = z.object({
  value: z.array(
    z.object({ '@odata.type': z.string(), id: z.string(), createdDateTime: nullableString, phoneNumber: nullableString, phoneType: nullableString, passkeyType: nullableString }),
  ),
});

async function listOn(gateway: GraphGateway, userId: string, version: 'v1.0' | 'beta') {
  const call =
    version === 'v1.0'
      ? { operation: 'methods.list', method: 'GET', version: 'v1.0', path: `/users/${encodeURIComponent(userId)}/authentication/methods`, permission: graphPermissions.readAuthMethods } as const
      : { operation: 'methods.list', method: 'GET', version: 'beta', path: `/users/${encodeURIComponent(userId)}/authentication/methods`, permission: graphPermissions.readAuthMethods } as const;
  return readAnswer('methods.list', await gateway.send(call), methodsSchema).value;
}

/**
 * Every authentication method of a user: the v1.0 list, plus what only the beta list shows. "Listing users'
 * authentication methods only returns methods supported on this API version": a user whose only strong method is a
 * hardware OATH token looks methodless on v1.0 (docs/graph-behaviour.md#authentication-methods-list). Both lists
 * are read at once; a method is the v1.0 one when both list its id.
 */
export async function listAuthenticationMethods(gateway: GraphGateway, userId: string): Promise<ListedMethod[]> {
  // both settle before either failure is thrown: no read is left running behind the caller's back
  const [v1Read, betaRead] = await Promise.allSettled([listOn(gateway, userId, 'v1.0'), listOn(gateway, userId, 'beta')]);
  if (v1Read.status === 'rejected') throw v1Read.reason;
  if (betaRead.status === 'rejected') throw betaRead.reason;
  const [v1, beta] = [v1Read.value, betaRead.value];
  const onV1 = new Set(v1.map((method) => method.id.toLowerCase()));
  const toListed = (method: (typeof v1)[number], betaOnly: boolean): ListedMethod => ({
    odataType: method['@odata.type'],
    kind: methodKind(method['@odata.type']),
    id: method.id,
    createdDateTime: method.createdDateTime,
    phoneNumber: method.phoneNumber,
    phoneType: method.phoneType,
    passkeyType: method.passkeyType,
    betaOnly,
  });
  return [...v1.map((method) => toListed(method, false)), ...beta.filter((method) => !onV1.has(method.id.toLowerCase())).map((method) => toListed(method, true))];
}
