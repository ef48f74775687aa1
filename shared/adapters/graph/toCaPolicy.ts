import { z } from 'zod';
import type { CaPolicy } from '../../core/conditionalAccess/caPolicy.js';
import { RolloutError } from '../../errors/RolloutError.js';
import { strengthSchema, toCaStrength } from './authenticationStrengths.js';

const list = z.array(z.string()).nullable().optional().transform((value) => value ?? []);
const guests = z
  .object({ guestOrExternalUserTypes: z.string().nullable().optional() })
  .nullable()
  .optional()
  .transform((value) => (value?.guestOrExternalUserTypes ?? '').split(',').map((type) => type.trim()).filter((type) => type !== '' && type !== 'none'));
const includeExclude = (include: string, exclude: string) =>
  z.object({ [include]: list, [exclude]: list }).nullable().optional().transform((value) => (value === null || value === undefined ? null : { include: value[include] ?? [], exclude: value[exclude] ?? [] }));

/** Conditions that limit a policy to some sign-ins whenever they are set (not null, not empty). */
const otherConditionNames = ['devices', 'insiderRiskLevels', 'authenticationFlows', 'clientApplications', 'servicePrincipalRiskLevels', 'times', 'deviceStates'] as const;

const policySchema = z.object({
  id: z.string().min(1),
  displayName: z.string().nullable().optional(),
  state: z.enum(['enabled', 'disabled', 'enabledForReportingButNotEnforced']),
  conditions: z.looseObject({
      users: z
        .object({
          includeUsers: list, excludeUsers: list, includeGroups: list, excludeGroups: list, includeRoles: list, excludeRoles: list,
          includeGuestsOrExternalUsers: guests, excludeGuestsOrExternalUsers: guests,
        })
        .nullable()
        .optional(),
      applications: z
        .object({ includeApplications: list, excludeApplications: list, includeUserActions: list, includeAuthenticationContextClassReferences: list })
        .nullable()
        .optional(),
      clientAppTypes: list,
      platforms: includeExclude('includePlatforms', 'excludePlatforms'),
      locations: includeExclude('includeLocations', 'excludeLocations'),
      signInRiskLevels: list,
      userRiskLevels: list,
    }),
  grantControls: z
    .object({
      operator: z.string().nullable().optional(),
      builtInControls: list,
      customAuthenticationFactors: list,
      termsOfUse: list,
      authenticationStrength: strengthSchema.nullable().optional(),
    })
    .nullable()
    .optional(),
});

/** A policy read from Graph, with the id of a strength Graph did not expand (the caller resolves it). */
export interface ReadCaPolicy {
  readonly policy: CaPolicy;
  readonly unexpandedStrengthId: string | null;
}

const isSet = (value: unknown): boolean => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);

function malformed(item: unknown, position: number, detail: string): RolloutError {
  const raw = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
  const name = typeof raw.displayName === 'string' ? ` '${raw.displayName}'` : '';
  const who = typeof raw.id === 'string' && raw.id !== '' ? `policy ${raw.id}${name}` : `entry ${position} of the list (no readable id)${name}`;
  return new RolloutError('GRAPH_MALFORMED_RESPONSE', `conditionalAccess.list: Conditional Access ${who} ${detail}`);
}

/**
 * One `conditionalAccessPolicy` from `GET /identity/conditionalAccess/policies`, read as the product relies on it
 * (docs/graph-behaviour.md#conditional-access). Unknown control and condition values pass (Graph's enums evolve);
 * a policy that does not have Graph's shape, or that grants `mfa` together with an authentication strength (which
 * Graph refuses to store), is GRAPH_MALFORMED_RESPONSE naming the policy's id and name and the field.
 * `position` is the entry's 1-based place in the list, for a policy without a readable id.
 */
export function toCaPolicy(item: unknown, position: number): ReadCaPolicy {
  const parsed = policySchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(item, position, `has an unexpected '${issue?.path.join('.') || 'body'}' (${issue?.message ?? 'invalid'})`);
  }
  const { conditions, grantControls } = parsed.data;
  const operator = (grantControls?.operator ?? 'OR').toUpperCase();
  const controlCount = (grantControls?.builtInControls.length ?? 0) + (grantControls?.termsOfUse.length ?? 0) + (grantControls?.customAuthenticationFactors.length ?? 0) + (isSet(grantControls?.authenticationStrength) ? 1 : 0);
  if (operator !== 'AND' && operator !== 'OR' && controlCount > 1) throw malformed(item, position, `has an unexpected 'grantControls.operator' (expected AND or OR)`);
  const rawStrength = grantControls?.authenticationStrength ?? null;
  if (rawStrength !== null && grantControls?.builtInControls.includes('mfa') === true) {
    throw malformed(item, position, "grants both 'mfa' and an authentication strength, which Graph refuses to store (docs/graph-behaviour.md#conditional-access)");
  }
  const strength = rawStrength === null ? null : toCaStrength(rawStrength);
  const users = conditions.users;
  const applications = conditions.applications;
  const raw = conditions as Record<string, unknown>;
  const policy: CaPolicy = {
    id: parsed.data.id,
    displayName: parsed.data.displayName ?? '',
    state: parsed.data.state,
    users: {
      includeUsers: users?.includeUsers ?? [], excludeUsers: users?.excludeUsers ?? [],
      includeGroups: users?.includeGroups ?? [], excludeGroups: users?.excludeGroups ?? [],
      includeRoles: users?.includeRoles ?? [], excludeRoles: users?.excludeRoles ?? [],
      includeGuestTypes: users?.includeGuestsOrExternalUsers ?? [], excludeGuestTypes: users?.excludeGuestsOrExternalUsers ?? [],
    },
    applications: {
      include: applications?.includeApplications ?? [], exclude: applications?.excludeApplications ?? [],
      includeUserActions: applications?.includeUserActions ?? [], includeAuthenticationContexts: applications?.includeAuthenticationContextClassReferences ?? [],
    },
    clientAppTypes: conditions.clientAppTypes,
    platforms: conditions.platforms,
    locations: conditions.locations,
    signInRiskLevels: conditions.signInRiskLevels,
    userRiskLevels: conditions.userRiskLevels,
    otherConditions: otherConditionNames.filter((name) => isSet(raw[name])),
    grantControls:
      grantControls === null || grantControls === undefined
        ? null
        : {
            operator: operator === 'AND' ? 'AND' : 'OR',
            builtInControls: grantControls.builtInControls,
            termsOfUse: grantControls.termsOfUse,
            customAuthenticationFactors: grantControls.customAuthenticationFactors,
            authenticationStrength: strength,
          },
  };
  return { policy, unexpandedStrengthId: rawStrength !== null && strength === null ? rawStrength.id : null };
}
