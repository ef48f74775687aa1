import { methodsPolicyScenario, type MethodsPolicyScenarioIds } from './methodsPolicyScenarios.js';
import {
  allUsers,
  methodsPolicyLimits,
  type ExcludeTarget,
  type MethodConfigurations,
  type MethodsPolicy,
  type MethodsPolicyScenario,
  readOnlyMethodStates,
  type ModelledMethodId,
  type ReadOnlyMethodId,
  type RegistrationCampaign,
  type SecurityDefaults,
} from './methodsPolicyModel.js';

/** What a policy PATCH may change (already checked for shape by the route). */
export interface MethodsPolicyChange {
  readonly campaign?: Partial<RegistrationCampaign>;
  readonly policyMigrationState?: MethodsPolicy['policyMigrationState'];
  readonly systemCredentialPreferences?: Readonly<Record<string, unknown>>;
  readonly reportSuspiciousActivitySettings?: Readonly<Record<string, unknown>>;
  readonly microsoftAuthenticatorPlatformSettings?: Readonly<Record<string, unknown>>;
  readonly optOutSettings?: { readonly passkeyDynamicMigration: boolean };
}

/** What a configuration PATCH may change: any property but the id; arrays replace what was there. */
export type ConfigurationChange<Id extends ModelledMethodId> = Partial<Omit<MethodConfigurations[Id], 'id'>>;

/** Why a write was refused; nothing of it was applied. */
export type PolicyRefusal =
  | { readonly reason: 'tooLarge'; readonly bytes: number }
  | { readonly reason: 'tooManyPasskeyProfiles' }
  | { readonly reason: 'unknownPasskeyProfile'; readonly id: string }
  | { readonly reason: 'mixedCampaignMethods' }
  | { readonly reason: 'unknownTarget'; readonly id: string }
  | { readonly reason: 'tapLifetimeOrder' };

export type PolicyWriteResult = { readonly ok: true } | ({ readonly ok: false } & PolicyRefusal);

export interface MethodsPolicyStateOptions {
  readonly ids: MethodsPolicyScenarioIds;
  readonly now: () => Date;
  /** Whether an include or exclude target names something of the tenant (`all_users` always does for groups). */
  readonly targetExists: (target: ExcludeTarget) => boolean;
}

/** The live policy and security defaults of the tenant; every write is all or nothing and keeps Graph's limits. */
export interface MethodsPolicyState {
  policy(): MethodsPolicy;
  securityDefaults(): SecurityDefaults;
  /** The scenario last switched to (`default` at start); writes after it do not change the name. */
  scenario(): MethodsPolicyScenario;
  setScenario(scenario: MethodsPolicyScenario): void;
  updatePolicy(change: MethodsPolicyChange): PolicyWriteResult;
  updateConfiguration<Id extends ModelledMethodId>(id: Id, change: ConfigurationChange<Id>): PolicyWriteResult;
  setSecurityDefaults(isEnabled: boolean): void;
  /**
   * Whether the policy lets the user use a method: the configuration is enabled, an include target covers the user
   * (`all_users`, a group they are a transitive member of, or the user), and no exclude target does (exclusion wins).
   * A read-only configuration (hardware OATH…) allows everyone or no one, by its fixed state.
   */
  allowedFor(method: ModelledMethodId | ReadOnlyMethodId, userId: string, isMemberOf: (groupId: string) => boolean): boolean;
  /** Bytes of the policy serialized as JSON: what the 20 KB limit applies to. */
  serializedBytes(): number;
}

const graphDateTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const methodKey = (method: string): string => method.toLowerCase();

function refusalOf(policy: MethodsPolicy, targetExists: (target: ExcludeTarget) => boolean): PolicyRefusal | null {
  const { Fido2, TemporaryAccessPass } = policy.authenticationMethodConfigurations;
  if (Fido2.passkeyProfiles.length > methodsPolicyLimits.maxPasskeyProfiles) return { reason: 'tooManyPasskeyProfiles' };
  const profileIds = new Set(Fido2.passkeyProfiles.map((profile) => profile.id.toLowerCase()));
  const unknownProfile = [...Fido2.includeTargets.flatMap((target) => target.allowedPasskeyProfiles), ...(Fido2.defaultPasskeyProfile === null ? [] : [Fido2.defaultPasskeyProfile])].find(
    (id) => !profileIds.has(id.toLowerCase()),
  );
  if (unknownProfile !== undefined) return { reason: 'unknownPasskeyProfile', id: unknownProfile };
  const campaign = policy.registrationEnforcement.authenticationMethodsRegistrationCampaign;
  if (new Set(campaign.includeTargets.map((target) => methodKey(target.targetedAuthenticationMethod))).size > 1) return { reason: 'mixedCampaignMethods' };
  const { minimumLifetimeInMinutes: min, maximumLifetimeInMinutes: max, defaultLifetimeInMinutes: lifetime } = TemporaryAccessPass;
  if (!(min <= lifetime && lifetime <= max)) return { reason: 'tapLifetimeOrder' };
  const targets: ExcludeTarget[] = [...campaign.includeTargets, ...campaign.excludeTargets];
  for (const configuration of Object.values(policy.authenticationMethodConfigurations)) targets.push(...configuration.includeTargets, ...configuration.excludeTargets);
  const unknownTarget = targets.find((target) => !(target.id === allUsers && target.targetType === 'group') && !targetExists(target));
  if (unknownTarget !== undefined) return { reason: 'unknownTarget', id: unknownTarget.id };
  const bytes = Buffer.byteLength(JSON.stringify(policy));
  if (bytes > methodsPolicyLimits.maxSerializedBytes) return { reason: 'tooLarge', bytes };
  return null;
}

export function createMethodsPolicyState(options: MethodsPolicyStateOptions): MethodsPolicyState {
  const { ids, now, targetExists } = options;
  let scenario: MethodsPolicyScenario = 'default';
  let { policy, securityDefaults } = methodsPolicyScenario(scenario, ids, graphDateTime(now()));

  const commit = (candidate: MethodsPolicy): PolicyWriteResult => {
    const stamped = { ...candidate, lastModifiedDateTime: graphDateTime(now()) };
    const refusal = refusalOf(stamped, targetExists);
    if (refusal !== null) return { ok: false, ...refusal };
    policy = stamped;
    return { ok: true };
  };

  return {
    policy: () => policy,
    securityDefaults: () => securityDefaults,
    scenario: () => scenario,
    setScenario: (name) => {
      scenario = name;
      ({ policy, securityDefaults } = methodsPolicyScenario(name, ids, graphDateTime(now())));
    },
    updatePolicy: (change) => {
      const { campaign, optOutSettings, ...rest } = change;
      const current = policy.registrationEnforcement.authenticationMethodsRegistrationCampaign;
      return commit({
        ...policy,
        ...rest,
        ...(optOutSettings === undefined ? {} : { optOutSettings }),
        registrationEnforcement: { authenticationMethodsRegistrationCampaign: { ...current, ...campaign } },
      });
    },
    updateConfiguration: (id, change) =>
      commit({
        ...policy,
        authenticationMethodConfigurations: { ...policy.authenticationMethodConfigurations, [id]: { ...policy.authenticationMethodConfigurations[id], ...change, id } },
      }),
    setSecurityDefaults: (isEnabled) => {
      securityDefaults = { isEnabled };
    },
    allowedFor: (method, userId, isMemberOf) => {
      if (method in readOnlyMethodStates) return readOnlyMethodStates[method as ReadOnlyMethodId] === 'enabled';
      const configuration = policy.authenticationMethodConfigurations[method as ModelledMethodId];
      if (configuration.state !== 'enabled') return false;
      const covers = (target: ExcludeTarget): boolean =>
        target.targetType === 'user' ? target.id.toLowerCase() === userId.toLowerCase() : target.id === allUsers || isMemberOf(target.id);
      if (configuration.excludeTargets.some(covers)) return false;
      return configuration.includeTargets.some(covers);
    },
    serializedBytes: () => Buffer.byteLength(JSON.stringify(policy)),
  };
}
