import { z } from 'zod';
import { classifyMobile } from '../../core/classifyMobile.js';
import type { LiveMethods, PasskeyType } from '../../core/journey/journeyTypes.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** Strong methods other than phones, passkeys and Microsoft Authenticator (docs/graph-behaviour.md#authentication-methods-list). */
const otherStrongTypes = new Set([
  '#microsoft.graph.softwareOathAuthenticationMethod',
  '#microsoft.graph.hardwareOathAuthenticationMethod',
  '#microsoft.graph.windowsHelloForBusinessAuthenticationMethod',
  '#microsoft.graph.platformCredentialAuthenticationMethod',
]);

const methodSchema = z.object({
  '@odata.type': z.string(),
  id: z.string(),
  phoneNumber: z.string().nullable().optional(),
  phoneType: z.string().nullable().optional(),
  createdDateTime: z.string().nullable().optional(),
  passkeyType: z.string().nullable().optional(),
});
const methodsSchema = z.object({ value: z.array(methodSchema) });

function passkeyType(value: string | null | undefined): PasskeyType {
  return value === 'deviceBound' || value === 'synced' ? value : 'unknown';
}

/**
 * The user's live authentication methods as the journey reads them (`LiveMethods`): the `mobile` phone in Graph's
 * `+CC NNN` form (compared, never stored), whether an alternate mobile exists, passkeys with their type and date,
 * Microsoft Authenticator, and the other strong methods. Held in memory for the night's decision only.
 */
export async function readLiveMethods(gateway: GraphGateway, userId: string, defaultRegion: string | undefined): Promise<LiveMethods> {
  const answer = await gateway.send({
    operation: 'methods.list',
    method: 'GET',
    version: 'v1.0',
    path: `/users/${encodeURIComponent(userId)}/authentication/methods`,
    permission: graphPermissions.readAuthMethods,
  });
  const methods = readAnswer('methods.list', answer, methodsSchema).value;
  const phones = methods.filter((method) => method['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod');
  const mobile = phones.find((method) => method.phoneType === 'mobile');
  const mobileNumber = mobile === undefined ? null : (classifyMobile(mobile.phoneNumber ?? null, defaultRegion).graphNumber ?? mobile.phoneNumber ?? '');
  return {
    mobileNumber,
    hasAlternateMobile: phones.some((method) => method.phoneType === 'alternateMobile'),
    passkeys: methods
      .filter((method) => method['@odata.type'] === '#microsoft.graph.fido2AuthenticationMethod')
      .map((method) => ({ createdDateTime: method.createdDateTime ?? null, passkeyType: passkeyType(method.passkeyType) })),
    authenticators: methods
      .filter((method) => method['@odata.type'] === '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod')
      .map((method) => ({ createdDateTime: method.createdDateTime ?? null })),
    otherStrong: methods.filter((method) => otherStrongTypes.has(method['@odata.type'])).length,
  };
}
