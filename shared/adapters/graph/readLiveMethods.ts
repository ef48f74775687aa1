import { classifyMobile } from '../../core/classifyMobile.js';
import type { LiveMethods, PasskeyType } from '../../core/journey/journeyTypes.js';
import type { GraphGateway } from './graphGateway.js';
import { listAuthenticationMethods } from './listAuthenticationMethods.js';

const passkeyTypes: Readonly<Record<string, PasskeyType>> = { deviceBound: 'deviceBound', synced: 'synced' };

/**
 * The user's live methods as the journey reads them (`FactNeed` `methods`): the `mobile` number in Graph's
 * `+CC NNN` form (classifyMobile; Graph's own text if it does not parse), whether an alternate mobile exists,
 * passkeys with their `passkeyType` (`unknown` when Graph gives none or `unknownFutureValue`:
 * docs/graph-behaviour.md#passkeys), Microsoft Authenticator registrations, and how many other strong methods the
 * user has, those only beta lists (hardware OATH) included (docs/graph-behaviour.md#authentication-methods-list).
 * Kept in memory only: the number is never logged or stored.
 */
export async function readLiveMethods(gateway: GraphGateway, userId: string): Promise<LiveMethods> {
  const methods = await listAuthenticationMethods(gateway, userId);
  const mobile = methods.find((method) => method.kind === 'phone' && method.phoneType === 'mobile');
  const number = mobile?.phoneNumber ?? null;
  return {
    mobileNumber: number === null ? null : (classifyMobile(number, undefined).graphNumber ?? number),
    hasAlternateMobile: methods.some((method) => method.kind === 'phone' && method.phoneType === 'alternateMobile'),
    passkeys: methods
      .filter((method) => method.kind === 'passkey')
      .map((method) => ({ createdDateTime: method.createdDateTime, passkeyType: passkeyTypes[method.passkeyType ?? ''] ?? 'unknown' })),
    authenticators: methods.filter((method) => method.kind === 'authenticator').map((method) => ({ createdDateTime: method.createdDateTime })),
    otherStrong: methods.filter((method) => method.kind === 'otherStrong').length,
  };
}
