import type { Random } from './random.js';
import type { OtherAuthenticationMethod, PasskeyType } from './tenantModel.js';

/** Where a user keeps a passkey: a FIDO2 security key, Microsoft Authenticator (device-bound), or a provider that syncs it. */
export const passkeyKinds = ['securityKey', 'authenticator', 'synced'] as const;
export type PasskeyKind = (typeof passkeyKinds)[number];

export interface PasskeyAuthenticator {
  readonly aaGuid: string;
  readonly model: string;
  readonly passkeyType: PasskeyType;
  readonly attestationLevel: 'attested' | 'notAttested';
}

/**
 * Authenticators by the AAGUID Graph reports in `fido2AuthenticationMethod.aaGuid` (docs/graph-behaviour.md#passkeys):
 * Authenticator's two are the ones Microsoft names; the others are the FIDO community's published list. Synced
 * passkeys carry no attestation.
 */
export const passkeyAuthenticators: Readonly<Record<PasskeyKind, readonly PasskeyAuthenticator[]>> = {
  securityKey: [
    { aaGuid: 'cb69481e-8ff7-4039-93ec-0a2729a154a8', model: 'YubiKey 5 NFC', passkeyType: 'deviceBound', attestationLevel: 'attested' },
  ],
  authenticator: [
    { aaGuid: '90a3ccdf-635c-4729-a248-9b709135078f', model: 'Microsoft Authenticator - iOS', passkeyType: 'deviceBound', attestationLevel: 'attested' },
    { aaGuid: 'de1e552d-db1d-4423-a619-566b625cdc84', model: 'Microsoft Authenticator - Android', passkeyType: 'deviceBound', attestationLevel: 'attested' },
  ],
  synced: [
    { aaGuid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd', model: 'iCloud Keychain', passkeyType: 'synced', attestationLevel: 'notAttested' },
    { aaGuid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4', model: 'Google Password Manager', passkeyType: 'synced', attestationLevel: 'notAttested' },
  ],
};

const authenticatorAaGuids = new Set(passkeyAuthenticators.authenticator.map((authenticator) => authenticator.aaGuid));

/** A passkey kept in Microsoft Authenticator (recognised, as Entra does, by its AAGUID). */
export function isAuthenticatorPasskey(method: Extract<OtherAuthenticationMethod, { kind: 'fido2' }>): boolean {
  return authenticatorAaGuids.has(method.aaGuid.toLowerCase());
}

/** A new passkey of `kind`, registered at `createdDateTime` (Graph's whole-second form). */
export function passkeyMethod(random: Random, kind: PasskeyKind, createdDateTime: string): Extract<OtherAuthenticationMethod, { kind: 'fido2' }> {
  const authenticator = random.pick(passkeyAuthenticators[kind]);
  return {
    kind: 'fido2',
    id: random.guid(),
    displayName: authenticator.model,
    model: authenticator.model,
    aaGuid: authenticator.aaGuid,
    passkeyType: authenticator.passkeyType,
    attestationLevel: authenticator.attestationLevel,
    createdDateTime,
  };
}
