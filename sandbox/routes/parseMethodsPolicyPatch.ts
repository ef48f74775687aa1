import { z } from 'zod';
import type { GraphVersion } from '../http/graphRoute.js';
import { graphErrors } from '../http/graphErrors.js';
import type { GraphHttpError } from '../http/GraphHttpError.js';
import { guidPattern } from '../tenant/tenantModel.js';
import { allUsers, methodConfigurationTypes, methodsPolicyLimits, type ModelledMethodId } from '../tenant/methodsPolicyModel.js';
import type { ConfigurationChange, MethodsPolicyChange } from '../tenant/methodsPolicyState.js';

const { snoozeDays, tapLifetimeMinutes, tapLength } = methodsPolicyLimits;

const guid = z.string().regex(guidPattern, 'expected an object id (GUID)');
const targetId = z.string().refine((id) => id === allUsers || guidPattern.test(id), `expected a group or user object id (GUID) or '${allUsers}'`);
const targetType = z.enum(['group', 'user']);
const whole = (min: number, max: number) => z.number().int(`expected a whole number from ${min} to ${max}`).min(min, `expected a whole number from ${min} to ${max}`).max(max, `expected a whole number from ${min} to ${max}`);
const settingsObject = z.record(z.string(), z.unknown());

const excludeTarget = z.strictObject({ id: guid, targetType });
const includeBase = { id: targetId, targetType, isRegistrationRequired: z.boolean().default(false) };
const keyRestrictions = z.strictObject({ isEnforced: z.boolean(), enforcementType: z.enum(['allow', 'block']), aaGuids: z.array(guid) });

const campaign = z.strictObject({
  state: z.enum(['default', 'enabled', 'disabled']).optional(),
  snoozeDurationInDays: whole(snoozeDays.min, snoozeDays.max).optional(),
  enforceRegistrationAfterAllowedSnoozes: z.boolean().optional(),
  includeTargets: z
    .array(
      z.strictObject({
        id: targetId,
        targetType,
        targetedAuthenticationMethod: z.string().refine((method) => ['fido2', 'microsoftauthenticator'].includes(method.toLowerCase()), "expected 'fido2' or 'microsoftAuthenticator'"),
      }),
    )
    .optional(),
  excludeTargets: z.array(excludeTarget).optional(),
});

const policyV1 = {
  registrationEnforcement: z.strictObject({ authenticationMethodsRegistrationCampaign: campaign.optional() }).optional(),
  policyMigrationState: z.enum(['preMigration', 'migrationInProgress', 'migrationComplete']).optional(),
  systemCredentialPreferences: settingsObject.optional(),
  reportSuspiciousActivitySettings: settingsObject.optional(),
};
const policyBeta = {
  ...policyV1,
  microsoftAuthenticatorPlatformSettings: settingsObject.optional(),
  optOutSettings: z.strictObject({ passkeyDynamicMigration: z.boolean() }).optional(),
};

const configurationBase = { state: z.enum(['enabled', 'disabled']).optional(), excludeTargets: z.array(excludeTarget).optional() };
const tapLifetime = whole(tapLifetimeMinutes.min, tapLifetimeMinutes.max).optional();

/** The writable properties of each modelled configuration; Sms targets are usable for sign-in unless they say otherwise (the admin center's default). */
const configurationSchemas = {
  Sms: z.strictObject({ ...configurationBase, includeTargets: z.array(z.strictObject({ ...includeBase, isUsableForSignIn: z.boolean().default(true) })).optional() }),
  Voice: z.strictObject({ ...configurationBase, isOfficePhoneAllowed: z.boolean().optional(), includeTargets: z.array(z.strictObject(includeBase)).optional() }),
  Fido2: z.strictObject({
    ...configurationBase,
    isSelfServiceRegistrationAllowed: z.boolean().optional(),
    isAttestationEnforced: z.boolean().optional(),
    keyRestrictions: keyRestrictions.optional(),
    defaultPasskeyProfile: guid.nullable().optional(),
    passkeyProfiles: z
      .array(
        z.strictObject({
          id: guid,
          name: z.string().min(1, 'expected a name'),
          passkeyTypes: z.enum(['deviceBound', 'synced', 'deviceBound,synced']),
          attestationEnforcement: z.enum(['disabled', 'registrationOnly']),
          keyRestrictions,
        }),
      )
      .optional(),
    includeTargets: z.array(z.strictObject({ ...includeBase, allowedPasskeyProfiles: z.array(guid).default([]) })).optional(),
  }),
  MicrosoftAuthenticator: z.strictObject({
    ...configurationBase,
    isSoftwareOathEnabled: z.boolean().optional(),
    featureSettings: settingsObject.optional(),
    includeTargets: z.array(z.strictObject({ ...includeBase, authenticationMode: z.enum(['any', 'deviceBasedPush', 'push']).default('any') })).optional(),
  }),
  TemporaryAccessPass: z.strictObject({
    ...configurationBase,
    defaultLifetimeInMinutes: tapLifetime,
    minimumLifetimeInMinutes: tapLifetime,
    maximumLifetimeInMinutes: tapLifetime,
    defaultLength: whole(tapLength.min, tapLength.max).optional(),
    isUsableOnce: z.boolean().optional(),
    includeTargets: z.array(z.strictObject(includeBase)).optional(),
  }),
} as const satisfies Record<ModelledMethodId, z.ZodType>;

/** Graph's type of the object at a path of the body, for "does not exist on type" answers. */
function typeAt(path: readonly PropertyKey[], rootType: string, method: ModelledMethodId | null): string {
  const last = [...path].reverse().find((segment) => typeof segment === 'string');
  const targetTypes: Readonly<Record<ModelledMethodId, string>> = {
    Sms: 'smsAuthenticationMethodTarget',
    Voice: 'authenticationMethodTarget',
    Fido2: 'passkeyAuthenticationMethodTarget',
    MicrosoftAuthenticator: 'microsoftAuthenticatorAuthenticationMethodTarget',
    TemporaryAccessPass: 'authenticationMethodTarget',
  };
  switch (last) {
    case undefined:
      return rootType;
    case 'registrationEnforcement':
      return 'registrationEnforcement';
    case 'authenticationMethodsRegistrationCampaign':
      return 'authenticationMethodsRegistrationCampaign';
    case 'includeTargets':
      return method === null ? 'authenticationMethodsRegistrationCampaignIncludeTarget' : targetTypes[method];
    case 'excludeTargets':
      return 'excludeTarget';
    case 'passkeyProfiles':
      return 'passkeyProfile';
    case 'keyRestrictions':
      return 'fido2KeyRestrictions';
    default:
      return last;
  }
}

/** Instance annotations (`…@odata.context`, `@odata.type` below the top) carry no data: Graph reads past them. */
function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.includes('@')).map(([key, item]) => [key, withoutAnnotations(item)]));
}

function parseWith<T extends z.ZodType>(schema: T, body: unknown, rootType: string, method: ModelledMethodId | null): z.output<T> {
  const parsed = schema.safeParse(withoutAnnotations(body));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const refusal: GraphHttpError =
    issue?.code === 'unrecognized_keys'
      ? graphErrors.unknownPayloadProperty(issue.keys[0] ?? '', typeAt(issue.path, rootType, method))
      : graphErrors.invalidPayloadValue(issue?.path.join('.') || 'body', issue?.message.replace(/^Invalid option: /, '') ?? 'invalid');
  throw refusal;
}

const readOnlyPolicyProperties = ['id', 'displayName', 'description', 'lastModifiedDateTime', 'policyVersion'];

/**
 * A PATCH of the policy: partial, and only what the version's metadata has. v1.0 refuses the beta-only
 * `microsoftAuthenticatorPlatformSettings` and `optOutSettings` as properties its type does not have (OData's
 * refusal of an undeclared property), rather than ignoring them; the configurations are not written through the
 * policy (each has its own PATCH).
 */
export function parseMethodsPolicyPatch(body: Record<string, unknown>, version: GraphVersion): MethodsPolicyChange {
  const readOnly = readOnlyPolicyProperties.find((name) => name in body);
  if (readOnly !== undefined) throw graphErrors.readOnlyProperty(readOnly, 'authenticationMethodsPolicy');
  if ('authenticationMethodConfigurations' in body) throw graphErrors.invalidPayloadValue('authenticationMethodConfigurations', 'each configuration is updated on its own (PATCH …/authenticationMethodConfigurations/{id})');
  const { '@odata.type': _type, ...rest } = body;
  const parsed = parseWith(z.strictObject(version === 'beta' ? policyBeta : policyV1), rest, 'authenticationMethodsPolicy', null);
  const { registrationEnforcement, ...others } = parsed;
  const change: MethodsPolicyChange = { ...others };
  const campaignChange = registrationEnforcement?.authenticationMethodsRegistrationCampaign;
  return campaignChange === undefined ? change : { ...change, campaign: campaignChange };
}

/** A PATCH of one configuration: its `@odata.type` is required and must be the configuration's own; `id`, if given, must match. */
export function parseConfigurationPatch<Id extends ModelledMethodId>(id: Id, body: Record<string, unknown>): ConfigurationChange<Id> {
  const expectedType = methodConfigurationTypes[id];
  const typeName = expectedType.replace(/^#microsoft\.graph\./, '');
  if (typeof body['@odata.type'] !== 'string') throw graphErrors.odataTypeRequired(typeName);
  if (body['@odata.type'].toLowerCase() !== expectedType.toLowerCase()) throw graphErrors.odataTypeMismatch(body['@odata.type'], typeName);
  const { '@odata.type': _type, id: givenId, ...rest } = body;
  if (givenId !== undefined && (typeof givenId !== 'string' || givenId.toLowerCase() !== id.toLowerCase())) throw graphErrors.invalidPayloadValue('id', `expected '${id}' (the configuration in the URL)`);
  return parseWith(configurationSchemas[id], rest, typeName, id) as ConfigurationChange<Id>;
}
