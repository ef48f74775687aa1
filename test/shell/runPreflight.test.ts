import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Config } from '../../shared/config/configSchema.js';
import { isRolloutError } from '../../shared/errors/RolloutError.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { refreshRoster } from '../../shared/shell/refreshRoster.js';
import { readNightRoster } from '../../shared/shell/readNightRoster.js';
import { runPreflight, type PreflightInputs, type PreflightRosterFacts } from '../../shared/shell/runPreflight.js';
import { createWavePlanner } from '../../shared/core/createWavePlanner.js';
import type { RosterRow } from '../../shared/adapters/tables/rosterTable.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { conditionalAccessScenarios, globalAdministratorRoleId, type ConditionalAccessScenario } from '../../sandbox/tenant/tenantModel.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 40, seed: 43 });
const quiet = createLogger(() => undefined);

/**
 * The product's answer to each of the sandbox's Conditional Access scenarios, with both Conditional Access checks on:
 * strategy conditionalAccessGroup (MFA_CA_GROUP_ID) and the phishing-resistant group. Each scenario changes one
 * policy of the default tenant, so each expects exactly its own findings.
 */
const expected: Readonly<Record<ConditionalAccessScenario, readonly string[]>> = {
  default: [],
  reportOnly: ['warning:policyReportOnly'],
  disabled: ['blocking:policyDisabled'],
  missingBreakGlassExclusion: ['blocking:breakGlassNotExcluded'],
  noMfaGrant: ['blocking:grantWithoutMfa'],
  mfaOrCompliantDevice: ['blocking:grantWithoutMfa'],
  oneApp: ['blocking:applicationsLimited'],
  excludedApp: ['blocking:applicationsLimited'],
  browserOnly: ['blocking:clientAppsLimited'],
  trustedLocationsExcluded: ['blocking:conditionsNarrow'],
  // without role holders the rollout's users are unknown too: they might hold the excluded role
  breakGlassExcludedByRole: ['blocking:breakGlassExclusionUnknown', 'warning:usersExcludedFromPolicy'],
  mfaStrength: [],
  passwordlessStrength: ['blocking:strengthNotSatisfiedBySms'],
  customStrengthWithSms: [],
  customStrengthWithoutSms: ['blocking:strengthNotSatisfiedBySms'],
  allUsersMfa: [],
  phishingResistantMissing: ['blocking:noPolicyForGroup'],
  phishingResistantReportOnly: ['warning:policyReportOnly'],
  phishingResistantDisabled: ['blocking:policyDisabled'],
  phishingResistantWrongStrength: ['blocking:notPhishingResistantStrength'],
  phishingResistantOrCompliantDevice: ['blocking:phishingResistantWithAlternative'],
  phishingResistantOneApp: ['blocking:applicationsLimited'],
  phishingResistantMissingBreakGlassExclusion: ['blocking:breakGlassNotExcluded'],
  none: ['blocking:noPolicyForGroup', 'blocking:noPolicyForGroup'],
};

describe('runPreflight against the sandbox: each Conditional Access scenario gets its named finding', () => {
  let config: Config & { phishingResistantGroupId: string };
  let ports: RolloutPorts;
  /** What the night's one read of the roster hands the preflight. */
  let roster: PreflightRosterFacts;
  const preflight = async (scenario: ConditionalAccessScenario, inputs?: PreflightInputs, change: { expandStrength?: boolean } = {}) => {
    const { sandbox } = tenant();
    sandbox.controls.setConditionalAccess({ scenario, throttled: false, ...change });
    try {
      return await runPreflight(config, ports, roster, inputs);
    } finally {
      sandbox.controls.setConditionalAccess({ scenario: 'default', expandStrength: true });
    }
  };
  const codes = (result: Awaited<ReturnType<typeof runPreflight>>) => result.problems.map((problem) => `${problem.severity}:${problem.code}`);

  beforeAll(async () => {
    const { sandbox } = tenant();
    const opened = await tenant().open({ MFA_STRATEGY: 'conditionalAccessGroup' });
    config = { ...opened.config, phishingResistantGroupId: sandbox.manifest.groups.phishingResistant };
    ports = opened.rollout.ports;
    await refreshRoster(ports.gateway, ports.roster, config, 'preflight-test', quiet);
    const now = sandbox.state.now();
    roster = (await readNightRoster(ports.roster.rows(), createWavePlanner<RosterRow>([], config, now), config)).preflight;
  });

  it('covers every scenario the sandbox offers', () => {
    expect(Object.keys(expected).sort()).toEqual([...conditionalAccessScenarios].sort());
  });

  it.each(conditionalAccessScenarios.map((scenario) => [scenario] as const))('%s', async (scenario) => {
    const result = await preflight(scenario);
    expect(codes(result)).toEqual(expected[scenario]);
    expect(result.ok).toBe(!expected[scenario].some((code) => code.startsWith('blocking:')));
    for (const problem of result.problems) expect(problem.fix).toMatch(/^(Entra admin center > |Set )/);
  });

  it('accepts break-glass accounts excluded by a role once the role holders are known', async () => {
    const { sandbox } = tenant();
    // stands in for the role-assignment reader the night is given (docs/graph-behaviour.md#directory-roles)
    const roleHolders: PreflightInputs['roleHolders'] = async (roleIds) =>
      new Map(roleIds.map((roleId) => [roleId, new Set(sandbox.state.users.filter((user) => sandbox.state.userRoles(user.id).includes(roleId)).map((user) => user.id))]));
    const result = await preflight('breakGlassExcludedByRole', { roleHolders });
    expect(codes(result)).toEqual([]);
    expect(globalAdministratorRoleId).toBe('62e90394-69f5-4237-9190-012177145e10');
  });

  it('looks up a strength Graph did not expand, and still recognises the built-in Phishing-resistant MFA and custom strengths', async () => {
    expect(codes(await preflight('default', {}, { expandStrength: false }))).toEqual([]);
    expect(codes(await preflight('customStrengthWithoutSms', {}, { expandStrength: false }))).toEqual(['blocking:strengthNotSatisfiedBySms']);
  });

  it('refuses both Conditional Access checks when security defaults are on', async () => {
    const result = await preflight('default', { securityDefaultsEnabled: true });
    expect(codes(result)).toEqual(['blocking:securityDefaultsOn']);
    expect(result.ok === false && result.refusal).toMatch(/^security defaults are on, and no Conditional Access policy applies while they are: MFA_CA_GROUP_ID and MFA_PHISHING_RESISTANT_GROUP_ID cannot work/);
  });

  it('counts for perUserMfa only the policies that really require MFA everywhere, not the phishing-resistant one', async () => {
    const perUser = { ...config, strategy: 'perUserMfa' as const };
    tenant().sandbox.controls.setConditionalAccess({ scenario: 'default', throttled: false });
    expect((await runPreflight(perUser, ports, roster)).problems).toEqual([]);
    tenant().sandbox.controls.setConditionalAccess({ scenario: 'allUsersMfa' });
    try {
      const overlap = await runPreflight(perUser, ports, roster);
      expect(overlap.ok === false && overlap.refusal).toMatch(/^enabled Conditional Access policies already require MFA for users of this rollout: 'Require MFA — all users' \(\d+ user\(s\)\); /);
    } finally {
      tenant().sandbox.controls.setConditionalAccess({ scenario: 'default' });
    }
  });

  it('reports an unreadable policy list as GRAPH_MALFORMED_RESPONSE, not an internal error', async () => {
    const { sandbox } = tenant();
    sandbox.traffic.addFault({ kind: 'malformed', shape: 'wrongType', operations: ['conditionalAccess.list'], count: 1 });
    const failure = await runPreflight(config, ports, roster).then(() => undefined, (error: unknown) => error);
    expect(isRolloutError(failure) && failure.code).toBe('GRAPH_MALFORMED_RESPONSE');
  });
});
