import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../shared/log/logEvent.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave } from '../../shared/shell/runWave.js';
import { expectedStanding } from '../../rehearsal/expectedStanding.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 70, seed: 31 });
const quiet = createLogger(() => undefined);
const caEveryoneTonight = { MFA_STRATEGY: 'conditionalAccessGroup', MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000' };

describe('strategy conditionalAccessGroup: preflight refusals', () => {
  const refusals: [string, () => void, RegExp][] = [
    ['the group does not exist', () => undefined, /^preflight: the group MFA_CA_GROUP_ID \(.+\) does not exist \(fix: Set MFA_CA_GROUP_ID to the object id of an existing group/],
    ['no policy includes the group', () => tenant().sandbox.controls.setConditionalAccess({ scenario: 'none' }), /^preflight: no Conditional Access policy includes the group .+ \(MFA_CA_GROUP_ID\) and requires MFA/],
    ['the policy grants no MFA', () => tenant().sandbox.controls.setConditionalAccess({ scenario: 'noMfaGrant' }), /^preflight: Conditional Access policy 'Require MFA — rollout group' \(.+\) grants compliantDevice OR domainJoinedDevice, which does not require MFA/],
    ['the policy grants mfa OR a compliant device', () => tenant().sandbox.controls.setConditionalAccess({ scenario: 'mfaOrCompliantDevice' }), /^preflight: Conditional Access policy 'Require MFA — rollout group' \(.+\) grants mfa OR compliantDevice, which does not require MFA: it is met without MFA by compliantDevice/],
    ['the policy covers one app', () => tenant().sandbox.controls.setConditionalAccess({ scenario: 'oneApp' }), /^preflight: Conditional Access policy 'Require MFA — rollout group' \(.+\) does not cover all cloud apps/],
    ['the policy is disabled', () => tenant().sandbox.controls.setConditionalAccess({ scenario: 'disabled' }), /^preflight: Conditional Access policy 'Require MFA — rollout group' \(.+\) includes the group .+ but is disabled/],
    ['a break-glass account is not excluded', () => tenant().sandbox.controls.setConditionalAccess({ scenario: 'missingBreakGlassExclusion' }), /^preflight: Conditional Access policy 'Require MFA — rollout group' \(.+\) does not exclude the break-glass account\(s\) /],
  ];

  it.each(refusals)('refuses when %s: a held night, nothing written', async (name, arrange, reason) => {
    const { sandbox } = tenant();
    arrange();
    try {
      const settings = name === 'the group does not exist' ? { ...caEveryoneTonight, MFA_CA_GROUP_ID: '0bd5a7f9-0000-4000-8000-000000000000' } : caEveryoneTonight;
      const { config, rollout } = await tenant().open(settings);
      const journalBefore = sandbox.journal.entries().length;
      const result = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: `refuse-${name}` });
      expect(result).toMatchObject({ outcome: 'held', code: 'PREFLIGHT_FAILED' });
      expect(result.outcome === 'held' && result.wave.reason).toMatch(reason);
      expect(sandbox.journal.entries().length).toBe(journalBefore);
    } finally {
      sandbox.controls.setConditionalAccess({ scenario: 'default' });
    }
  });

  it('goes ahead with a report-only policy, warning loudly', async () => {
    const { sandbox } = tenant();
    sandbox.controls.setConditionalAccess({ scenario: 'reportOnly' });
    try {
      const { config, rollout } = await tenant().open({ ...caEveryoneTonight, MFA_WAVE_SIZE: '1', MFA_MAX_WAVE_SIZE: '1' });
      const lines: string[] = [];
      const result = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: createLogger((_level, line) => lines.push(line)), runId: 'report-only' });
      expect(result.outcome).toBe('wave');
      expect(lines.find((line) => line.includes('"preflight.warning"'))).toContain('REPORT-ONLY: the Conditional Access policies on the group');
    } finally {
      sandbox.controls.setConditionalAccess({ scenario: 'default' });
    }
  });
});

describe('strategy conditionalAccessGroup: a night and its rollback', () => {
  it('adds exactly the ready users to the MFA group (each with a phone or MFA method), never touching per-user state; rollback removes exactly them', async () => {
    const { sandbox } = tenant();
    const group = sandbox.manifest.groups.mfaRequired;
    const membersBefore = sandbox.manifest.users.filter((user) => sandbox.state.isGroupMember(group, user.id)).map((user) => user.id);
    const { config, rollout } = await tenant().open(caEveryoneTonight);
    const journalBefore = sandbox.journal.entries().length;

    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'ca-night' });
    expect(night.outcome).toBe('wave');
    if (night.outcome !== 'wave') return;
    const toEnforce = sandbox.manifest.users.filter((user) => expectedStanding[user.category] === 'enforced' && !membersBefore.includes(user.id));
    const writes = sandbox.journal.entries().slice(journalBefore);
    const added = writes.filter((entry) => entry.operation === 'groups.addMember' && entry.status < 300).map((entry) => entry.userId);
    expect(added.sort()).toEqual(toEnforce.map((user) => user.id).sort());
    expect(writes.filter((entry) => entry.operation === 'requirements.update')).toEqual([]);
    expect(writes.some((entry) => entry.operation === 'groups.addMember' && entry.viaBatch === true)).toBe(true);
    for (const user of toEnforce) {
      expect(sandbox.state.isGroupMember(group, user.id)).toBe(true);
      expect(sandbox.state.hasStrongMethod(user.id)).toBe(true);
    }
    for (const id of sandbox.manifest.breakGlass.map((account) => account.id)) expect(sandbox.state.isGroupMember(group, id)).toBe(false);

    const beforeRollback = sandbox.journal.entries().length;
    const rollback = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: night.wave.waveId, dryRun: false, removePhoneMethods: false, runId: 'ca-rollback' });
    expect(rollback).toMatchObject({ reverted: toEnforce.length, failed: [] });
    const undone = sandbox.journal.entries().slice(beforeRollback);
    expect(undone.map((entry) => entry.operation)).toEqual(toEnforce.map(() => 'groups.removeMember'));
    expect(undone.map((entry) => entry.userId).sort()).toEqual(toEnforce.map((user) => user.id).sort());
    for (const user of toEnforce) expect(sandbox.state.isGroupMember(group, user.id)).toBe(false);
    for (const id of membersBefore) expect(sandbox.state.isGroupMember(group, id)).toBe(true);

    const again = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: night.wave.waveId, dryRun: false, removePhoneMethods: false, runId: 'ca-rollback-2' });
    expect(again).toMatchObject({ reverted: 0, alreadyReverted: toEnforce.length });
    expect(sandbox.journal.entries().length).toBe(beforeRollback + undone.length);
  });
});
