import type { GraphVersion } from '../http/graphRoute.js';
import type { TemporaryAccessPass } from '../tenant/temporaryAccessPasses.js';
import type { OtherAuthenticationMethod } from '../tenant/tenantModel.js';

type Fido2Method = Extract<OtherAuthenticationMethod, { kind: 'fido2' }>;

/** `fido2AuthenticationMethod` as v1.0 returns it (docs/graph-behaviour.md#passkeys); `publicKeyCredential` is write-only, never returned. */
export function renderPasskey(method: Fido2Method): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
    id: method.id,
    displayName: method.displayName,
    createdDateTime: method.createdDateTime,
    aaGuid: method.aaGuid,
    model: method.model,
    attestationCertificates: [],
    attestationLevel: method.attestationLevel,
    passkeyType: method.passkeyType,
  };
}

/** Whether a version lists the method: Graph lists "only methods supported on this API version" (hardware OATH: beta). */
export function listedOn(method: OtherAuthenticationMethod, version: GraphVersion): boolean {
  return method.kind !== 'hardwareOath' || version === 'beta';
}

/** One non-phone method as `/authentication/methods` lists it. */
export function renderOtherMethod(method: OtherAuthenticationMethod): Record<string, unknown> {
  switch (method.kind) {
    case 'microsoftAuthenticator':
      return {
        '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethod',
        id: method.id,
        displayName: method.displayName,
        deviceTag: method.deviceTag,
        phoneAppVersion: method.phoneAppVersion,
        createdDateTime: method.createdDateTime,
      };
    case 'fido2':
      return renderPasskey(method);
    case 'hardwareOath':
      // beta's hardwareOathAuthenticationMethod: id and createdDateTime; the token itself is the `device` relationship
      return { '@odata.type': '#microsoft.graph.hardwareOathAuthenticationMethod', id: method.id, createdDateTime: method.createdDateTime };
  }
}

/**
 * `temporaryAccessPassAuthenticationMethod` (docs/graph-behaviour.md#temporary-access-pass): the pass itself only in
 * the create answer (`temporaryAccessPass`); every read shows it as null.
 */
export function renderTemporaryAccessPass(
  pass: TemporaryAccessPass,
  usability: { readonly isUsable: boolean; readonly methodUsabilityReason: string },
  temporaryAccessPass: string | null,
): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
    id: pass.id,
    temporaryAccessPass,
    createdDateTime: pass.createdDateTime,
    startDateTime: pass.startDateTime,
    lifetimeInMinutes: pass.lifetimeInMinutes,
    isUsableOnce: pass.isUsableOnce,
    isUsable: usability.isUsable,
    methodUsabilityReason: usability.methodUsabilityReason,
  };
}
