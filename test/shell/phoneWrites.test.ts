import { describe, expect, it } from '@jest/globals';
import { isCorruptRow } from '../../shared/adapters/tables/rosterTable.js';
import { renderPhonesKept } from '../../shared/cli/renderPhonesKept.js';
import { renderPlan } from '../../shared/cli/renderPlan.js';
import { classifyMobile } from '../../shared/core/classifyMobile.js';
import type { RolloutProgress } from '../../shared/core/rosterUser.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { planNight } from '../../shared/shell/planNight.js';
import type { RolloutPorts } from '../../shared/shell/rolloutPorts.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave } from '../../shared/shell/runWave.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 60, seed: 31 });
const quiet = createLogger(() => undefined);
const everyoneTonight = { MFA_PILOT_GROUP_ID: '', MFA_RINGS: '[]', MFA_WAVE_SIZE: '1000', MFA_MAX_WAVE_SIZE: '1000' };
/** Each test enrols its own users (a pilot wave of them), so the tests share one tenant without seeing each other's writes. */
const pilotOf = (upns: readonly string[]) => ({ ...everyoneTonight, MFA_PILOT_USERS: upns.join(',') });
const readyUpns = (from: number, count: number) => tenant().sandbox.manifest.users.filter((user) => user.category === 'ready').slice(from, from + count).map((user) => user.upn);
const mobileId = '3179e48a-750b-4051-897c-87b9720928f7';
const alternateMobileId = 'b6332ec1-7057-4abe-9331-3d72feddfe41';

async function progressById(ports: RolloutPorts): Promise<Map<string, RolloutProgress>> {
  const byId = new Map<string, RolloutProgress>();
  for await (const row of ports.roster.rows()) if (!isCorruptRow(row)) byId.set(row.user.directory.id, row.user.progress);
  return byId;
}

/**
 * Runs a pilot night of one user whose mobile create is slow, and calls `meanwhile` once the create has reached the
 * sandbox (before Graph answers it): what lands meanwhile decides how Graph answers the create.
 */
async function nightWithSlowCreate(user: { id: string; upn: string }, runId: string, meanwhile: () => void) {
  const { sandbox } = tenant();
  const fault = sandbox.traffic.addFault({ kind: 'latency', minMs: 1_500, maxMs: 1_500, operations: ['phoneMethods.create'], userIds: [user.id], count: 1 });
  const { config, rollout } = await tenant().open(pilotOf([user.upn]));
  const slowedBefore = sandbox.traffic.stats().injected.slowed;
  const night = runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId });
  for (let waited = 0; sandbox.traffic.stats().injected.slowed === slowedBefore; waited += 10) {
    if (waited > 30_000) throw new Error('the create never reached the sandbox');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  meanwhile();
  const result = await night;
  sandbox.traffic.removeFault(fault.id);
  return { result, rollout };
}

describe('phone writes as Graph answers them', () => {
  it('enrols a user whose mobile create is refused because an earlier attempt landed: it reads the methods and compares numbers, whatever the message', async () => {
    const { sandbox } = tenant();
    const user = sandbox.manifest.users.filter((candidate) => candidate.category === 'ready')[0];
    if (user === undefined) throw new Error('no ready user');
    const synced = classifyMobile(sandbox.state.findUser(user.id)?.mobilePhone ?? null, sandbox.manifest.homeCountry).graphNumber ?? '';
    // the create is slow; meanwhile "the earlier attempt" lands: Graph then refuses the create with a message it does not document
    const { result, rollout } = await nightWithSlowCreate(user, 'lost-answer', () => expect(sandbox.state.addPhoneMethod(user.id, 'mobile', synced).ok).toBe(true));
    expect(result.outcome).toBe('wave');

    const creates = sandbox.journal.entries().filter((entry) => entry.userId === user.id && entry.operation === 'phoneMethods.create');
    expect(creates.map((entry) => entry.status)).toEqual([400]);
    expect(sandbox.state.phoneMethods(user.id).map((method) => [method.phoneType, method.phoneNumber])).toEqual([['mobile', synced]]);
    expect(sandbox.state.perUserMfaState(user.id)).toBe('enforced');
    const progress = (await progressById(rollout.ports)).get(user.id);
    expect(progress).toMatchObject({ state: 'active', journey: { steps: { phoneMethod: { action: 'create', wrote: true }, enforceMfa: { wrote: true } } } });
  });

  it('fails a user GRAPH_PHONE_DUPLICATE when the refused create meets a mobile with another number (read back, whatever the message), and writes nothing over it', async () => {
    const { sandbox } = tenant();
    const user = sandbox.manifest.users.filter((candidate) => candidate.category === 'ready')[20];
    if (user === undefined) throw new Error('no ready user');
    // the create is slow; meanwhile the user registers a mobile of their own, with another number
    const { result, rollout } = await nightWithSlowCreate(user, 'conflict', () => expect(sandbox.state.addPhoneMethod(user.id, 'mobile', '+46 701119911').ok).toBe(true));
    if (result.outcome !== 'wave') throw new Error(`no wave: ${result.outcome}`);

    expect(sandbox.journal.entries().filter((entry) => entry.userId === user.id).map((entry) => [entry.operation, entry.status])).toEqual([['phoneMethods.create', 400]]);
    expect(sandbox.state.phoneMethods(user.id).map((method) => method.phoneNumber)).toEqual(['+46 701119911']);
    const failures = await rollout.ports.failures.forWave(result.wave.waveId);
    expect(failures.filter((failure) => failure.userId === user.id)).toEqual([expect.objectContaining({ errorCode: 'GRAPH_PHONE_DUPLICATE', httpStatus: 400, requestId: expect.any(String), step: 'phoneMethod' })]);
  });

  it("rolls back, and names the users whose mobile Graph keeps (their default MFA method, an alternate mobile) instead of asking to run again", async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open(pilotOf(readyUpns(1, 10)));
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'to-roll-back' });
    if (night.outcome !== 'wave') throw new Error(`no wave: ${night.outcome}`);
    const created = [...(await progressById(rollout.ports)).entries()].filter(([, progress]) => progress.state === 'active' && progress.journey.steps.phoneMethod?.waveId === night.wave.waveId && progress.journey.steps.phoneMethod.wrote).map(([id]) => id);
    expect(created.length).toBeGreaterThan(6);
    const [withAlternate, movedDefault, ...onlyMethod] = created as [string, string, ...string[]];
    // one user added an alternate mobile (and made it their default); one registered Authenticator as their default
    sandbox.state.addPhoneMethod(withAlternate, 'alternateMobile', '+46 701119900');
    sandbox.state.setDefaultMfaMethod(withAlternate, alternateMobileId);
    sandbox.state.setDefaultMfaMethod(movedDefault, sandbox.state.addAuthenticatorMethod(movedDefault).id);

    const rollback = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: night.wave.waveId, dryRun: false, removePhoneMethods: true, runId: 'rb-phones' });
    expect(rollback.failed).toEqual([]);
    const kept = new Map(rollback.phoneKept.map((entry) => [entry.userId, entry.reason]));
    expect(kept.get(withAlternate)).toBe('alternateMobilePresent');
    expect(kept.has(movedDefault)).toBe(false);
    for (const id of onlyMethod) expect(kept.get(id)).toBe('defaultMethod');
    // Graph's state: the kept mobiles are there, the other one is gone
    expect(sandbox.state.phoneMethods(movedDefault).some((method) => method.id === mobileId)).toBe(false);
    for (const id of [withAlternate, ...onlyMethod]) expect(sandbox.state.phoneMethods(id).some((method) => method.id === mobileId)).toBe(true);
    // everyone is rolled back; nobody is left to "run it again" for
    const after = await progressById(rollout.ports);
    for (const id of created) expect(after.get(id)).toMatchObject({ state: 'rolledBack' });
    const history = await rollout.ports.waves.history();
    expect(history.find((wave) => wave.kind === 'rollback')?.reason).toMatch(/mobile\(s\) kept: Graph refuses to delete them/);
    expect(history.find((wave) => wave.kind === 'rollback')?.reason).not.toMatch(/run it again/);

    const upn = (id: string) => sandbox.state.findUser(id)?.userPrincipalName ?? '';
    const lines = renderPhonesKept(rollback.phoneKept);
    expect(lines[0]).toBe(`Mobile phone method kept for ${rollback.phoneKept.length} user(s): Graph refuses to delete it; running rollback again removes it only once what is named here has changed:`);
    expect(lines.find((line) => line.includes(upn(withAlternate)))).toMatch(/alternate mobile/);
    expect(lines.find((line) => line.includes(upn(onlyMethod[0] ?? '')))).toMatch(/default MFA method/);
  });

  it('says in the plan that MFA_PER_USER_STATE=enabled goes straight to enforced, which is what Graph then stores', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({ ...pilotOf(readyUpns(11, 5)), MFA_PER_USER_STATE: 'enabled' });
    const dryRun = await planNight(config, rollout.ports, quiet, sandbox.state.now(), { refresh: true, runId: 'plan-enabled' });
    expect(dryRun.plan.enforce).toHaveLength(5);
    expect(dryRun.straightToEnforced).toBe(5);
    expect(renderPlan(dryRun, { show: 0 })).toContain('MFA_PER_USER_STATE=enabled: the 5 user(s) entering tonight whose MFA is required go straight to `enforced`');
    const night = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'enabled-night' });
    if (night.outcome !== 'wave') throw new Error(`no wave: ${night.outcome}`);
    const written = sandbox.journal.entries().filter((entry) => entry.operation === 'requirements.update' && entry.status === 204 && dryRun.plan.enforce.some((user) => user.id === entry.userId));
    // the rollout asked for `enabled`; Graph stored `enforced`
    expect(written.map((entry) => [entry.detail['requested'], entry.detail['perUserMfaState']])).toEqual(Array(5).fill(['enabled', 'enforced']));
    for (const user of dryRun.plan.enforce) expect(sandbox.state.perUserMfaState(user.id)).toBe('enforced');

    const { config: enforcedConfig } = await tenant().open(pilotOf(readyUpns(11, 5)));
    expect((await planNight(enforcedConfig, rollout.ports, quiet, sandbox.state.now(), { refresh: false, runId: 'plan-enforced' })).straightToEnforced).toBeNull();
  });
});
