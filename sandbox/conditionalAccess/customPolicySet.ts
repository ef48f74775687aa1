import { conditionalAccessStates, guidPattern, type AuthenticationStrengthPolicy, type ConditionalAccessPolicy, type ConditionalAccessUsers } from '../tenant/tenantModel.js';
import { authenticationMethodModes, builtInStrengths } from './authenticationStrengths.js';
import { allAppsPolicy, noUsers, type ConditionalAccessSet } from './conditionalAccessPolicies.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const clientAppTypes = ['all', 'browser', 'mobileAppsAndDesktopClients', 'exchangeActiveSync', 'easSupported', 'other'];

function stringList(where: string, value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  if (!isStringList(value)) throw new RangeError(`${where}: expected a list of strings`);
  return value;
}

function strength(raw: unknown, index: number): AuthenticationStrengthPolicy {
  const where = `conditionalAccess: strengths[${index}]`;
  if (!isRecord(raw) || typeof raw.id !== 'string' || !guidPattern.test(raw.id) || typeof raw.displayName !== 'string') {
    throw new RangeError(`${where}: expected {id (a GUID), displayName, allowedCombinations}`);
  }
  const combinations = stringList(`${where}.allowedCombinations`, raw.allowedCombinations, []);
  const unknown = combinations.flatMap((combination) => combination.split(',')).map((mode) => mode.trim()).find((mode) => !authenticationMethodModes.includes(mode));
  if (combinations.length === 0 || unknown !== undefined) throw new RangeError(`${where}.allowedCombinations: expected combinations of ${authenticationMethodModes.join(', ')}`);
  const at = '2025-06-02T08:30:00Z';
  return { id: raw.id.toLowerCase(), displayName: raw.displayName, description: '', policyType: 'custom', requirementsSatisfied: 'mfa', allowedCombinations: combinations, createdDateTime: at, modifiedDateTime: at };
}

function users(where: string, raw: unknown): ConditionalAccessUsers {
  if (raw === undefined) return { ...noUsers, includeUsers: ['All'] };
  if (!isRecord(raw)) throw new RangeError(`${where}: expected an object`);
  const guestTypes = (key: string): string | null => {
    const value = raw[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new RangeError(`${where}.${key}: expected a comma-separated string of guest types, or null`);
    return value;
  };
  const lists = ['includeUsers', 'excludeUsers', 'includeGroups', 'excludeGroups', 'includeRoles', 'excludeRoles'] as const;
  const entries = Object.fromEntries(lists.map((key) => [key, stringList(`${where}.${key}`, raw[key], [])])) as Record<(typeof lists)[number], readonly string[]>;
  return { ...entries, includeGuestsOrExternalUsers: guestTypes('includeGuestsOrExternalUsers'), excludeGuestsOrExternalUsers: guestTypes('excludeGuestsOrExternalUsers') };
}

function policy(raw: unknown, index: number, strengthIds: ReadonlySet<string>, now: string): ConditionalAccessPolicy {
  const where = `conditionalAccess: policies[${index}]`;
  if (!isRecord(raw) || typeof raw.displayName !== 'string' || raw.displayName === '') throw new RangeError(`${where}: expected an object with a displayName`);
  const id = raw.id === undefined ? `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}` : raw.id;
  if (typeof id !== 'string' || !guidPattern.test(id)) throw new RangeError(`${where}.id: expected a GUID`);
  const state = raw.state ?? 'enabled';
  if (!(conditionalAccessStates as readonly unknown[]).includes(state)) throw new RangeError(`${where}.state: expected one of ${conditionalAccessStates.join(', ')}`);
  const operator = raw.grantOperator ?? 'OR';
  if (operator !== 'OR' && operator !== 'AND') throw new RangeError(`${where}.grantOperator: expected OR or AND`);
  const builtInControls = stringList(`${where}.builtInControls`, raw.builtInControls, raw.authenticationStrengthId === undefined ? ['mfa'] : []);
  const strengthId = raw.authenticationStrengthId ?? null;
  if (strengthId !== null && (typeof strengthId !== 'string' || !strengthIds.has(strengthId.toLowerCase()))) {
    throw new RangeError(`${where}.authenticationStrengthId: expected the id of a built-in strength or of one in 'strengths'`);
  }
  // Graph's rule for a write: "Require multifactor authentication and Require authentication strength can't be used together"
  if (strengthId !== null && builtInControls.includes('mfa')) {
    throw new RangeError(`${where}: 'mfa' and an authentication strength can't be used together in the same Conditional Access policy`);
  }
  if (builtInControls.length === 0 && strengthId === null) throw new RangeError(`${where}: expected grant controls (builtInControls and/or authenticationStrengthId)`);
  const types = stringList(`${where}.clientAppTypes`, raw.clientAppTypes, ['all']);
  if (types.some((type) => !clientAppTypes.includes(type))) throw new RangeError(`${where}.clientAppTypes: expected values of ${clientAppTypes.join(', ')}`);
  const pair = <K extends string>(key: string, include: K, exclude: K): Record<K, readonly string[]> | null => {
    const value = raw[key];
    if (value === undefined || value === null) return null;
    if (!isRecord(value)) throw new RangeError(`${where}.${key}: expected {${include}, ${exclude}} or null`);
    return { [include]: stringList(`${where}.${key}.${include}`, value[include], []), [exclude]: stringList(`${where}.${key}.${exclude}`, value[exclude], []) } as Record<K, readonly string[]>;
  };
  return allAppsPolicy({
    id: id.toLowerCase(),
    displayName: raw.displayName,
    state: state as ConditionalAccessPolicy['state'],
    modifiedDateTime: now,
    users: users(`${where}.users`, raw.users),
    includeApplications: stringList(`${where}.includeApplications`, raw.includeApplications, ['All']),
    excludeApplications: stringList(`${where}.excludeApplications`, raw.excludeApplications, []),
    clientAppTypes: types,
    platforms: pair('platforms', 'includePlatforms', 'excludePlatforms'),
    locations: pair('locations', 'includeLocations', 'excludeLocations'),
    signInRiskLevels: stringList(`${where}.signInRiskLevels`, raw.signInRiskLevels, []),
    userRiskLevels: stringList(`${where}.userRiskLevels`, raw.userRiskLevels, []),
    builtInControls,
    grantOperator: operator,
    authenticationStrengthId: strengthId === null ? null : strengthId.toLowerCase(),
  });
}

/**
 * A policy set an admin (a test) writes through the admin API, checked as Graph checks a policy it is asked to store:
 * every field in Graph's terms, an existing strength, and never `mfa` together with an authentication strength (the
 * admin API answers 400, as Graph refuses such a write). Omitted fields default to a policy on all users, all cloud
 * apps and client apps, granting `mfa`.
 */
export function customPolicySet(rawPolicies: unknown, rawStrengths: unknown, now: string): ConditionalAccessSet {
  if (!Array.isArray(rawPolicies)) throw new RangeError("conditionalAccess: expected 'policies' to be a list");
  if (rawStrengths !== undefined && !Array.isArray(rawStrengths)) throw new RangeError("conditionalAccess: expected 'strengths' to be a list");
  const customStrengths = (rawStrengths ?? []).map(strength);
  const strengthIds = new Set([...builtInStrengths, ...customStrengths].map((candidate) => candidate.id.toLowerCase()));
  const policies = rawPolicies.map((raw, index) => policy(raw, index, strengthIds, now));
  if (new Set(policies.map((candidate) => candidate.id)).size !== policies.length) throw new RangeError('conditionalAccess: two policies have the same id');
  return { policies, customStrengths };
}
