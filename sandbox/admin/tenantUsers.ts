import type { PerUserMfaState } from '../tenant/tenantModel.js';
import type { TenantState } from '../tenant/tenantState.js';

/** One user's MFA facts as Graph holds them (no number, no method id): what an outcome check reads instead of a roster. */
export interface TenantUserFacts {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly accountEnabled: boolean;
  readonly perUserMfaState: PerUserMfaState;
  /** Kinds of the registered methods: `mobile`, `alternateMobile`, `office`, `microsoftAuthenticator`, `fido2`, `hardwareOath`. */
  readonly methods: readonly string[];
  /** The MFA, campaign, phishing-resistant and phone-retired groups the user is a direct member of. */
  readonly groups: {
    readonly mfaRequired: boolean;
    readonly campaign: boolean;
    readonly phishingResistant: boolean;
    readonly phoneRetired: boolean;
  };
  /** A Temporary Access Pass is issued (whatever its usability). */
  readonly temporaryAccessPass: boolean;
}

/** `GET /_sandbox/tenantUsers`: every user's facts at this instant. */
export function tenantUsers(tenant: TenantState): TenantUserFacts[] {
  const { groups } = tenant.manifest;
  return tenant.users.map((user) => ({
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    perUserMfaState: tenant.perUserMfaState(user.id),
    methods: [...tenant.phoneMethods(user.id).map((method) => method.phoneType), ...tenant.otherMethods(user.id).map((method) => method.kind)],
    groups: {
      mfaRequired: tenant.isGroupMember(groups.mfaRequired, user.id),
      campaign: tenant.isGroupMember(groups.campaign, user.id),
      phishingResistant: tenant.isGroupMember(groups.phishingResistant, user.id),
      phoneRetired: tenant.isGroupMember(groups.phoneRetired, user.id),
    },
    temporaryAccessPass: tenant.temporaryAccessPasses.get(user.id) !== undefined,
  }));
}
