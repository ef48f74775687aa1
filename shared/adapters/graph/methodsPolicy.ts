import { z } from 'zod';
import type { CampaignFacts, MethodConfigurationsFacts, MethodKey, MethodsPolicyFacts, PolicyMigrationState, PolicyTarget } from '../../core/posture/postureFacts.js';
import { methodConfigurationIds } from '../../core/posture/postureFacts.js';
import { readAnswer } from './graphAnswer.js';
import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

/** A target as Graph sent it: `id` and `targetType` read, every other property kept as it is (annotations dropped). */
const target = z
  .looseObject({
    id: z.string().min(1),
    targetType: z.string(),
    isUsableForSignIn: z.boolean().optional(),
    authenticationMode: z.string().optional(),
    allowedPasskeyProfiles: z.array(z.string()).optional(),
    targetedAuthenticationMethod: z.string().optional(),
  })
  .transform((value) => Object.fromEntries(Object.entries(value).filter(([key]) => !key.includes('@'))) as PolicyTarget);
const targets = z.array(target).nullable().optional().transform((value) => value ?? []);

const configurationBase = { id: z.string(), state: z.string(), includeTargets: targets, excludeTargets: targets };
const configuration = z.looseObject(configurationBase);
const fido2 = z.looseObject({ ...configurationBase, isSelfServiceRegistrationAllowed: z.boolean(), passkeyProfiles: z.array(z.unknown()).nullable().optional(), defaultPasskeyProfile: z.string().nullable().optional() });
const lifetime = z.number().int();
const temporaryAccessPass = z.looseObject({
  ...configurationBase,
  defaultLifetimeInMinutes: lifetime,
  minimumLifetimeInMinutes: lifetime,
  maximumLifetimeInMinutes: lifetime,
  defaultLength: z.number().int(),
  isUsableOnce: z.boolean(),
});

const policySchema = z.object({
  policyMigrationState: z.string().nullable().optional(),
  registrationEnforcement: z.object({
    authenticationMethodsRegistrationCampaign: z.object({
      state: z.string(),
      snoozeDurationInDays: z.number().int(),
      enforceRegistrationAfterAllowedSnoozes: z.boolean().nullable().optional(),
      includeTargets: targets,
      excludeTargets: targets,
    }),
  }),
  authenticationMethodConfigurations: z.array(z.looseObject({ id: z.string() })),
});

const migrationStates: Readonly<Record<string, PolicyMigrationState>> = { premigration: 'preMigration', migrationinprogress: 'migrationInProgress', migrationcomplete: 'migrationComplete' };
const campaignStates = new Set(['default', 'enabled', 'disabled']);

/**
 * Reads the Authentication methods policy (docs/graph-behaviour.md#methods-policy-and-registration-campaign): the
 * migration state, the registration campaign, and the Sms, Voice, Fido2, MicrosoftAuthenticator and
 * TemporaryAccessPass configurations, picked by id without regard to case among everything Graph lists (other
 * built-in and external methods are ignored; a missing one is null). A field the rollout decides on that is missing
 * or of the wrong type is GRAPH_MALFORMED_RESPONSE naming it. The answer's size is kept for the 20 KB limit.
 */
export async function readMethodsPolicy(gateway: GraphGateway): Promise<MethodsPolicyFacts> {
  const operation = 'methodsPolicy.read';
  const answer = await gateway.send({ operation: 'methodsPolicy.read', method: 'GET', version: 'v1.0', path: '/policies/authenticationMethodsPolicy', permission: graphPermissions.readMethodsPolicy });
  const policy = readAnswer(operation, answer, policySchema);
  const listed = policy.authenticationMethodConfigurations;
  // Read one configuration; a malformed one is named by its id: `authenticationMethodConfigurations.Fido2.state`.
  const pick = <T extends z.ZodType>(key: MethodKey, schema: T): z.output<T> | null => {
    const { id } = methodConfigurationIds[key];
    const item = listed.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (item === undefined) return null;
    const wrapped = readAnswer(operation, { body: { authenticationMethodConfigurations: { [id]: item } }, requestId: answer.requestId }, z.object({ authenticationMethodConfigurations: z.record(z.string(), schema) }));
    return wrapped.authenticationMethodConfigurations[id] as z.output<T>;
  };
  const base = (item: z.output<typeof configuration> | null) =>
    item === null ? null : { enabled: item.state.toLowerCase() === 'enabled', includeTargets: item.includeTargets, excludeTargets: item.excludeTargets };
  const fido2Item = pick('fido2', fido2);
  const tapItem = pick('temporaryAccessPass', temporaryAccessPass);
  const methods: MethodConfigurationsFacts = {
    sms: base(pick('sms', configuration)),
    voice: base(pick('voice', configuration)),
    fido2: fido2Item === null ? null : { ...(base(fido2Item) as NonNullable<ReturnType<typeof base>>), selfServiceRegistration: fido2Item.isSelfServiceRegistrationAllowed, passkeyProfiles: fido2Item.passkeyProfiles?.length ?? 0, defaultPasskeyProfile: fido2Item.defaultPasskeyProfile ?? null },
    microsoftAuthenticator: base(pick('microsoftAuthenticator', configuration)),
    temporaryAccessPass:
      tapItem === null
        ? null
        : {
            ...(base(tapItem) as NonNullable<ReturnType<typeof base>>),
            defaultLifetimeInMinutes: tapItem.defaultLifetimeInMinutes,
            minimumLifetimeInMinutes: tapItem.minimumLifetimeInMinutes,
            maximumLifetimeInMinutes: tapItem.maximumLifetimeInMinutes,
            defaultLength: tapItem.defaultLength,
            isUsableOnce: tapItem.isUsableOnce,
          },
  };
  const raw = policy.registrationEnforcement.authenticationMethodsRegistrationCampaign;
  const campaign: CampaignFacts = {
    state: campaignStates.has(raw.state.toLowerCase()) ? (raw.state.toLowerCase() as CampaignFacts['state']) : 'unknown',
    snoozeDurationInDays: raw.snoozeDurationInDays,
    enforceRegistrationAfterAllowedSnoozes: raw.enforceRegistrationAfterAllowedSnoozes ?? null,
    includeTargets: raw.includeTargets,
    excludeTargets: raw.excludeTargets,
  };
  return {
    policyMigrationState: migrationStates[(policy.policyMigrationState ?? '').toLowerCase()] ?? 'unknown',
    serializedBytes: Buffer.byteLength(JSON.stringify(answer.body)),
    methods,
    campaign,
  };
}

/** The registration campaign as a PATCH of the policy sends it: only what changes, target lists whole. */
export interface CampaignChange {
  readonly state?: 'default' | 'enabled' | 'disabled';
  readonly includeTargets?: readonly PolicyTarget[];
  readonly excludeTargets?: readonly PolicyTarget[];
}

/**
 * PATCHes the registration campaign (`registrationEnforcement`, the one property the v1.0 update page lists). Graph
 * answers 200 with the policy or 204: neither body is read; the caller re-reads the policy.
 */
export async function writeCampaign(gateway: GraphGateway, change: CampaignChange): Promise<void> {
  await gateway.send({
    operation: 'methodsPolicy.update',
    method: 'PATCH',
    version: 'v1.0',
    path: '/policies/authenticationMethodsPolicy',
    body: { registrationEnforcement: { authenticationMethodsRegistrationCampaign: change } },
    permission: graphPermissions.writeMethodsPolicy,
  });
}

/** A configuration PATCH: partial, arrays whole, with the configuration's `@odata.type` (Graph requires it). */
export async function writeMethodConfiguration(gateway: GraphGateway, key: MethodKey, change: Readonly<Record<string, unknown>>): Promise<void> {
  const { id, odataType } = methodConfigurationIds[key];
  await gateway.send({
    operation: 'methodConfigurations.update',
    method: 'PATCH',
    version: 'v1.0',
    path: `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/${id}`,
    body: { '@odata.type': odataType, ...change },
    permission: graphPermissions.writeMethodsPolicy,
  });
}
