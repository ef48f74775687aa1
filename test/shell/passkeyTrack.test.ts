import { describe, expect, it } from '@jest/globals';
import type { Config } from '../../shared/config/configSchema.js';
import { loadConfig } from '../../shared/config/loadConfig.js';
import { isCorruptRow, type RosterRow } from '../../shared/adapters/tables/rosterTable.js';
import { createLogger } from '../../shared/log/logEvent.js';
import type { OpenRollout } from '../../shared/shell/rolloutPorts.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave, type NightResult } from '../../shared/shell/runWave.js';
import { setupPasskeys } from '../../shared/shell/setupPasskeys.js';
import { passkeyTrackSettings } from '../../rehearsal/sandboxSettings.js';
import { useSandboxTenant, type SandboxTenant } from '../helpers/sandboxTenant.js';

/**
 * The passkey track end to end against the sandbox tenant: what the journey writes in Graph each night, read from the
 * sandbox's state and journal (never from the rollout's own tables), on either side of the SMS retirement date and in
 * both campaign modes, and what a rollback of a passkey wave undoes.
 */
const quiet = createLogger(() => undefined);
/** Everyone ready in one wave, no pilot: the track's steps are what is under test, not the ramp. */
const oneWave = { MFA_PILOT_GROUP_ID: '', MFA_RINGS: '[]', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000', MFA_GRAPH_USE_BATCH: 'false' };

interface Night {
  readonly config: Config;
  readonly rollout: OpenRollout;
  night(at: string, runId: string): Promise<NightResult>;
}

async function track(tenant: () => SandboxTenant, settings: Record<string, string>, setup: boolean, campaignGroupOnly = false): Promise<Night> {
  const { sandbox } = tenant();
  const { config, rollout } = await tenant().open({ ...passkeyTrackSettings, MFA_PHISHING_RESISTANT_GROUP_ID: sandbox.manifest.groups.phishingResistant, ...oneWave, ...settings });
  if (setup) {
    const applied = await setupPasskeys(config, rollout.ports, quiet, sandbox.state.now(), { apply: true, allUsers: false, campaignGroupOnly, runId: 'setup' });
    expect(applied.posture.blocked).toBe(false);
  }
  return {
    config,
    rollout,
    night: async (at, runId) => {
      sandbox.controls.setNow(at);
      return runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId });
    },
  };
}

/** The group's members as the sandbox tenant holds them, sorted. */
function members(sandbox: SandboxTenant['sandbox'], groupId: string): string[] {
  return sandbox.state.users.filter((user) => sandbox.state.isGroupMember(groupId, user.id)).map((user) => user.id).sort();
}

async function rosterRows(run: Night): Promise<RosterRow[]> {
  const rows: RosterRow[] = [];
  for await (const row of run.rollout.ports.roster.rows()) if (!isCorruptRow(row)) rows.push(row);
  return rows;
}

function rosterJourney(rows: readonly RosterRow[], userId: string) {
  const progress = rows.find((row) => row.user.directory.id === userId)?.user.progress;
  return progress !== undefined && 'journey' in progress ? progress.journey : undefined;
}

const waveOf = (result: NightResult) => {
  if (result.outcome !== 'wave') throw new Error(`expected a wave, the night ended ${result.outcome}`);
  return result.wave;
};

/** The default methods policy, setup-passkeys half an hour before `at`, then the night at `at`: its wave and where the journal stood. */
async function firstNight(tenant: () => SandboxTenant, at: string, settings: Record<string, string>) {
  const { sandbox } = tenant();
  sandbox.controls.setMethodsPolicy({ scenario: 'default' });
  sandbox.controls.setNow(new Date(Date.parse(at) - 30 * 60_000));
  const run = await track(tenant, settings, true);
  const from = sandbox.journal.entries().length;
  return { sandbox, from, wave: waveOf(await run.night(at, `pk-${at.slice(0, 10)}`)) };
}

function writesFrom(tenant: () => SandboxTenant, from: number, operation: string, groupId?: string): string[] {
  return tenant()
    .sandbox.journal.entries(from)
    .filter((entry) => entry.operation === operation && entry.status < 300 && (groupId === undefined || entry.path.includes(groupId)))
    .map((entry) => entry.userId ?? '')
    .sort();
}

/** A sandbox tenant of its own for one scenario (60 users, the given seed), and its successful writes since a mark. */
function scenarioTenant(seed: number) {
  const tenant = useSandboxTenant({ users: 60, seed });
  return { tenant, writes: (from: number, operation: string, groupId?: string) => writesFrom(tenant, from, operation, groupId) };
}

describe('the passkey track end to end: waves mode before the date (sandbox tenant + Azurite)', () => {
  const { tenant, writes } = scenarioTenant(31);

  it('waves mode before the date: bridge, MFA and the campaign group on entry; a passkey moves the user to the phishing-resistant and phone-retired groups; rollback of each wave undoes what it wrote in Graph', async () => {
    const { sandbox } = tenant();
    const { campaign, phishingResistant, phoneRetired } = sandbox.manifest.groups;
    sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    const run = await track(tenant, {}, true);
    // memberships the rollout did not add, which no rollback may take away: an administrator put a rollout user in the
    // campaign group before the wave, and a user the rollout never attends (an exclusion-group member) in all three
    const adminAdded = sandbox.manifest.users.find((user) => user.category === 'ready')?.id ?? '';
    const outsider = sandbox.manifest.users.find((user) => user.category === 'exclusionGroupMember')?.id ?? '';
    expect(adminAdded !== '' && outsider !== '').toBe(true);
    for (const [group, ids] of [[campaign, [adminAdded, outsider]], [phishingResistant, [outsider]], [phoneRetired, [outsider]]] as const) {
      expect(sandbox.state.addGroupMembers(group, ids)).toMatchObject({ ok: true });
    }
    const membersBefore = members(sandbox, campaign);
    const from = sandbox.journal.entries().length;

    const first = waveOf(await run.night('2026-12-02T01:00:00Z', 'pk-night-1'));
    expect(first.status).toBe('completed');
    const joined = writes(from, 'groups.addMember', campaign);
    expect(joined.length).toBeGreaterThan(10);
    // the administrator's member was found there, not added
    expect(joined).not.toContain(adminAdded);
    expect(rosterJourney(await rosterRows(run), adminAdded)?.steps.joinCampaign).toMatchObject({ waveId: first.waveId, wrote: false });
    for (const id of joined) expect(sandbox.state.isGroupMember(campaign, id)).toBe(true);
    // the bridge: a mobile method only for users who had nothing to do MFA with; SMS still works before the date
    const bridged = writes(from, 'phoneMethods.create');
    expect(bridged.length).toBeGreaterThan(0);
    for (const id of bridged) expect(sandbox.state.phoneMethods(id).some((method) => method.phoneType === 'mobile')).toBe(true);
    for (const id of joined) if (sandbox.state.hasStrongMethod(id)) expect(sandbox.state.perUserMfaState(id)).toBe('enforced');
    expect(first.journey.nudged).toBe(joined.length);
    // nobody is under the phishing-resistant policy or off SMS without a passkey
    expect(writes(from, 'groups.addMember', phishingResistant)).toEqual([]);
    expect(writes(from, 'groups.addMember', phoneRetired)).toEqual([]);

    // three nudged users register a passkey; the others do nothing
    const registering = bridged.slice(0, 3);
    for (const id of registering) sandbox.controls.registerMethod(id, 'passkeyDeviceBound');
    // an administrator puts the first of them under the phishing-resistant policy by hand: the journey finds it done
    const prefilled = registering[0] ?? '';
    expect(sandbox.state.addGroupMembers(phishingResistant, [prefilled])).toMatchObject({ ok: true });
    const secondFrom = sandbox.journal.entries().length;
    // the night after, or the one after that (a look records the passkey, a move writes the groups)
    for (let night = 3; night <= 5 && writes(secondFrom, 'groups.addMember', phoneRetired).length < registering.length + 2; night += 1) {
      await run.night(`2026-12-0${night}T01:00:00Z`, `pk-night-${night}`);
    }
    // the three, and the users who entered with a passkey already
    const withPasskey = joined.concat(writes(from, 'requirements.update')).filter((id, index, all) => all.indexOf(id) === index && sandbox.state.otherMethods(id).some((method) => method.kind === 'fido2')).sort();
    expect(withPasskey).toEqual(expect.arrayContaining(registering));
    expect(writes(secondFrom, 'groups.addMember', phishingResistant)).toEqual(withPasskey.filter((id) => id !== prefilled));
    expect(writes(secondFrom, 'groups.addMember', phoneRetired)).toEqual(withPasskey);
    for (const id of registering) {
      expect(sandbox.state.isGroupMember(phishingResistant, id)).toBe(true);
      expect(sandbox.state.isGroupMember(phoneRetired, id)).toBe(true);
    }
    for (const id of bridged.slice(3)) expect(sandbox.state.isGroupMember(phishingResistant, id)).toBe(false);
    // nothing of the entry is written again
    expect(writes(secondFrom, 'phoneMethods.create')).toEqual([]);
    expect(writes(secondFrom, 'requirements.update')).toEqual([]);

    // rollback of the wave that moved them on: out of both groups, the entry's writes stay
    const rows = await rosterRows(run);
    const advanceWave = rosterJourney(rows, registering[0] ?? '')?.steps.joinPhishingResistant?.waveId ?? '';
    expect(advanceWave).not.toBe('');
    const undoAdvance = await rollbackWave(run.config, run.rollout.ports, quiet, sandbox.state.now(), { waveId: advanceWave, dryRun: false, removePhoneMethods: false, runId: 'pk-rollback-advance' });
    expect(undoAdvance.failed).toEqual([]);
    expect(rosterJourney(rows, prefilled)?.steps.joinPhishingResistant).toMatchObject({ waveId: advanceWave, wrote: false });
    for (const id of registering) {
      // the membership the administrator added stays; the ones the wave added go
      expect(sandbox.state.isGroupMember(phishingResistant, id)).toBe(id === prefilled);
      expect(sandbox.state.isGroupMember(phoneRetired, id)).toBe(false);
      expect(sandbox.state.isGroupMember(campaign, id)).toBe(true);
      expect(sandbox.state.perUserMfaState(id)).toBe('enforced');
    }

    // rollback of the entry wave: MFA back as it was, out of the campaign group, the bridged phones removed on request
    const undoEntry = await rollbackWave(run.config, run.rollout.ports, quiet, sandbox.state.now(), { waveId: first.waveId, dryRun: false, removePhoneMethods: true, runId: 'pk-rollback-entry' });
    expect(undoEntry.failed).toEqual([]);
    for (const id of joined) expect(sandbox.state.isGroupMember(campaign, id)).toBe(false);
    // read back from the tenant: the campaign group holds exactly what it held before the wave (and what later waves
    // added), the administrator's member and the outsider included; the outsider is still in the other two groups
    const addedLater = writes(secondFrom, 'groups.addMember', campaign);
    expect(members(sandbox, campaign)).toEqual([...new Set([...membersBefore, ...addedLater])].sort());
    expect(sandbox.state.isGroupMember(campaign, adminAdded)).toBe(true);
    expect(sandbox.state.isGroupMember(phishingResistant, outsider)).toBe(true);
    expect(sandbox.state.isGroupMember(phoneRetired, outsider)).toBe(true);
    // a bridged mobile that is the user's default MFA method is one Graph refuses to delete: named, not retried
    const kept = new Map(undoEntry.phoneKept.map((entry) => [entry.userId, entry.reason]));
    for (const id of bridged) {
      expect(sandbox.state.perUserMfaState(id)).toBe('disabled');
      const mobiles = sandbox.state.phoneMethods(id).filter((method) => method.phoneType === 'mobile');
      expect(mobiles.length).toBe(kept.has(id) ? 1 : 0);
    }
    for (const [id, reason] of kept) {
      expect(bridged).toContain(id);
      expect(reason).toBe('defaultMethod');
    }
  }, 120_000);
});

describe('the passkey track end to end: on the retirement date (sandbox tenant + Azurite)', () => {
  const { tenant, writes } = scenarioTenant(32);

  it('microsoft delivery on the retirement date: no phone is pre-registered; users with nothing to do MFA with join the campaign and wait for a Temporary Access Pass', async () => {
    const { sandbox, from, wave } = await firstNight(tenant, '2027-02-01T01:00:00Z', {});
    expect(writes(from, 'phoneMethods.create')).toEqual([]);
    expect(wave.phoneMethodsRegistered).toBe(0);
    expect(wave.journey.awaitingTap).toBeGreaterThan(0);
    const joined = writes(from, 'groups.addMember', sandbox.manifest.groups.campaign);
    // MFA is required only of users who can do it: nobody without a method is enforced
    for (const entry of sandbox.journal.entries(from).filter((item) => item.operation === 'requirements.update' && item.status < 300)) {
      expect(sandbox.state.hasStrongMethod(entry.userId ?? '')).toBe(true);
    }
    expect(joined.length).toBeGreaterThan(wave.enforced);
  }, 60_000);
});

describe('the passkey track end to end: customer-managed (sandbox tenant + Azurite)', () => {
  const { tenant, writes } = scenarioTenant(33);

  it('a customer-managed SMS provider keeps the bridge after the date', async () => {
    const { from, wave } = await firstNight(tenant, '2027-02-02T01:00:00Z', { MFA_SMS_DELIVERY: 'customerManaged' });
    const bridged = writes(from, 'phoneMethods.create');
    expect(bridged.length).toBeGreaterThan(0);
    expect(wave.phoneMethodsRegistered).toBe(bridged.length);
  }, 60_000);
});

describe('the passkey track end to end: customer-managed before the date (sandbox tenant + Azurite)', () => {
  const { tenant, writes } = scenarioTenant(35);

  it('a customer-managed SMS provider bridges before the date as Microsoft delivery does', async () => {
    const { sandbox, from, wave } = await firstNight(tenant, '2027-01-20T01:00:00Z', { MFA_SMS_DELIVERY: 'customerManaged' });
    const bridged = writes(from, 'phoneMethods.create');
    expect(bridged.length).toBeGreaterThan(0);
    expect(wave.phoneMethodsRegistered).toBe(bridged.length);
    for (const id of bridged) expect(sandbox.state.phoneMethods(id).some((method) => method.phoneType === 'mobile')).toBe(true);
    expect(writes(from, 'groups.addMember', sandbox.manifest.groups.campaign).length).toBeGreaterThanOrEqual(bridged.length);
  }, 60_000);
});

describe('the authenticator track end to end: waves mode (sandbox tenant + Azurite)', () => {
  const { tenant, writes } = scenarioTenant(36);

  it('MFA_TARGET_METHOD=authenticator: the campaign nudges Microsoft Authenticator, an Authenticator method is what counts as registered and takes the user off SMS, the phishing-resistant step is skipped, and a passkey alone is not the target', async () => {
    const { sandbox } = tenant();
    const { campaign, phishingResistant, phoneRetired } = sandbox.manifest.groups;
    sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    // the phishing-resistant step needs a passkey: the settings refuse MFA_PHISHING_RESISTANT_GROUP_ID on this track
    expect(() => loadConfig(tenant().settings({ ...passkeyTrackSettings, MFA_TARGET_METHOD: 'authenticator', MFA_PHISHING_RESISTANT_GROUP_ID: phishingResistant }))).toThrow(/MFA_PHISHING_RESISTANT_GROUP_ID: expected no value unless MFA_TARGET_METHOD=passkey/);
    // Microsoft's campaign nudges passkeys since 1 September 2026: setup-passkeys retargets it only with --campaign-group-only
    const run = await track(tenant, { MFA_TARGET_METHOD: 'authenticator', MFA_PHISHING_RESISTANT_GROUP_ID: '' }, true, true);
    const policy = sandbox.state.methodsPolicy();
    expect(policy.registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets).toEqual([expect.objectContaining({ id: campaign, targetedAuthenticationMethod: 'microsoftAuthenticator' })]);
    const from = sandbox.journal.entries().length;

    const first = waveOf(await run.night('2026-12-02T01:00:00Z', 'au-night-1'));
    const joined = writes(from, 'groups.addMember', campaign);
    expect(joined.length).toBeGreaterThan(10);
    expect(first.journey.nudged).toBe(joined.length);
    // users who entered with nothing: two register Authenticator, two a passkey only
    const bridged = writes(from, 'phoneMethods.create');
    expect(bridged.length).toBeGreaterThanOrEqual(4);
    const withAuthenticator = bridged.slice(0, 2);
    const withPasskeyOnly = bridged.slice(2, 4);
    for (const id of withAuthenticator) sandbox.controls.registerMethod(id, 'microsoftAuthenticator');
    for (const id of withPasskeyOnly) sandbox.controls.registerMethod(id, 'passkeySynced');
    const secondFrom = sandbox.journal.entries().length;
    for (let night = 3; night <= 5 && !withAuthenticator.every((id) => sandbox.state.isGroupMember(phoneRetired, id)); night += 1) {
      await run.night(`2026-12-0${night}T01:00:00Z`, `au-night-${night}`);
    }
    for (const id of withAuthenticator) expect(sandbox.state.isGroupMember(phoneRetired, id)).toBe(true);
    for (const id of withPasskeyOnly) expect(sandbox.state.isGroupMember(phoneRetired, id)).toBe(false);
    // never under the phishing-resistant policy on this track
    expect(writes(from, 'groups.addMember', phishingResistant)).toEqual([]);
    // what moved was an Authenticator: every user added to the phone-retired group has one
    const retired = writes(secondFrom, 'groups.addMember', phoneRetired);
    expect(retired).toEqual(expect.arrayContaining(withAuthenticator));
    for (const id of retired) expect(sandbox.state.otherMethods(id).some((method) => method.kind === 'microsoftAuthenticator')).toBe(true);
  }, 120_000);
});

describe('the passkey track end to end: microsoftManaged campaign mode (sandbox tenant + Azurite)', () => {
  const { tenant, writes } = scenarioTenant(34);

  it('microsoftManaged campaign mode: the campaign is left as Microsoft set it (setup-passkeys included), no user is added to a campaign group, MFA is still required', async () => {
    const { sandbox } = tenant();
    sandbox.controls.setMethodsPolicy({ scenario: 'default' });
    const policyBefore = JSON.stringify(sandbox.state.methodsPolicy().registrationEnforcement);
    // setup-passkeys in this mode writes what the track needs (SMS and Voice excluding the phone-retired group), never the campaign
    const run = await track(tenant, { MFA_CAMPAIGN_MODE: 'microsoftManaged' }, true);
    const from = sandbox.journal.entries().length;
    const wave = waveOf(await run.night('2026-12-10T01:00:00Z', 'pk-ms-managed'));
    expect(writes(from, 'groups.addMember', sandbox.manifest.groups.campaign)).toEqual([]);
    expect(writes(from, 'methodsPolicy.update')).toEqual([]);
    expect(JSON.stringify(sandbox.state.methodsPolicy().registrationEnforcement)).toBe(policyBefore);
    const enforced = writes(from, 'requirements.update');
    expect(enforced.length).toBeGreaterThan(0);
    for (const id of enforced) expect(sandbox.state.perUserMfaState(id)).toBe('enforced');
    expect(wave.journey.nudged).toBe(0);
  }, 60_000);
});
