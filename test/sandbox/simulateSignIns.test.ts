import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import { createSandboxControls } from '../../sandbox/admin/sandboxControls.js';
import type { TenantUserFacts } from '../../sandbox/admin/tenantUsers.js';
import { seedTenant } from '../../sandbox/tenant/seedTenant.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { createTenantState, type TenantState } from '../../sandbox/tenant/tenantState.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const dayMs = 86_400_000;

/** An in-process tenant on a settable clock, its controls, and helpers to pick users and read their passkeys. */
function tenantAt(iso: string, seed = 5) {
  let now = new Date(iso);
  const tenant = createTenantState({ seeded: seedTenant({ seed, size: 200, homeCountry: 'SE' }), clock: () => now, clientSecret: 's', roles: defaultAppRoles });
  const controls = createSandboxControls(tenant);
  const ids = (category: UserCategory) => tenant.users.filter((user) => user.category === category).map((user) => user.id);
  const passkeys = (userId: string) => tenant.otherMethods(userId).filter((method) => method.kind === 'fido2').length;
  const later = (days: number) => {
    now = new Date(now.getTime() + days * dayMs);
  };
  return { tenant, controls, ids, passkeys, later };
}

/** Per-user MFA on for these users: their sign-ins demand MFA. */
const requireMfa = (tenant: TenantState, userIds: readonly string[]) => {
  for (const id of userIds) tenant.setPerUserMfaState(id, 'enforced');
};

/** One SMS-only user whose sign-ins ask for MFA, an enabled campaign with these snooze settings, and nobody who ever registers at a prompt. */
function oneUserWhoSnoozes(campaign: { snoozeDurationInDays: number; enforceRegistrationAfterAllowedSnoozes: boolean }) {
  const made = tenantAt('2027-01-10T09:00:00Z');
  const [user] = made.ids('hasPhoneMethod');
  if (user === undefined) throw new Error('no SMS-only user generated');
  requireMfa(made.tenant, [user]);
  expect(made.tenant.authenticationPolicies.updatePolicy({ campaign: { state: 'enabled', ...campaign } }).ok).toBe(true);
  made.controls.setSignInSimulation({ registerProbability: 0 });
  return { ...made, user };
}

describe('users who act: the sign-in simulation', () => {
  it('nudges a user the campaign targets after an MFA sign-in, and only them; with probability 1 they register a passkey', () => {
    const { tenant, controls, ids, passkeys } = tenantAt('2027-01-10T09:00:00Z');
    const smsOnly = ids('hasPhoneMethod');
    requireMfa(tenant, smsOnly);
    controls.setSignInSimulation({ registerProbability: 1 });
    const day = controls.simulateSignIns({ share: 1, seed: 1 });
    expect(smsOnly.length).toBeGreaterThan(3);
    expect(smsOnly.map(passkeys)).toEqual(smsOnly.map(() => 1));
    // users whose sign-in asks for no MFA are not nudged: the ready users (no method, MFA off) have no passkey
    expect(ids('ready').map(passkeys).every((count) => count === 0)).toBe(true);
    expect(day.nudged).toBe(day.registeredAtNudge);
    expect(day.passkeysRegistered).toBeGreaterThanOrEqual(smsOnly.length);
    expect(day.signedIn).toBe(tenant.users.filter((user) => user.accountEnabled).length);
  });

  it('a snooze holds the prompt for snoozeDurationInDays; after the allowed 3 snoozes an enforcing campaign makes the user register', () => {
    const { controls, user, passkeys, later } = oneUserWhoSnoozes({ snoozeDurationInDays: 2, enforceRegistrationAfterAllowedSnoozes: true });
    const snoozes = () => controls.signInSimulation().snoozes[user] ?? 0;
    const promptedOn: number[] = [];
    for (let day = 0; day < 8; day += 1) {
      const before = snoozes();
      controls.simulateSignIns({ share: 1, seed: day });
      if (snoozes() > before || passkeys(user) > 0) promptedOn.push(day);
      if (passkeys(user) > 0) break;
      later(1);
    }
    // prompted on days 0, 2, 4 (snoozed each time for 2 days), then on day 6 the prompt cannot be skipped
    expect(promptedOn).toEqual([0, 2, 4, 6]);
    expect(passkeys(user)).toBe(1);
    expect(snoozes()).toBe(3);
    expect(controls.signInSimulation().totals).toMatchObject({ registeredAtNudge: 0 });
  });

  it('without enforcement the user snoozes for ever and never registers', () => {
    const { controls, user, passkeys, later } = oneUserWhoSnoozes({ snoozeDurationInDays: 0, enforceRegistrationAfterAllowedSnoozes: false });
    for (let day = 0; day < 6; day += 1, later(1)) controls.simulateSignIns({ share: 1, seed: day });
    expect(passkeys(user)).toBe(0);
    expect(controls.signInSimulation().snoozes[user]).toBe(6); // snoozeDurationInDays 0: prompted at every sign-in
    expect(controls.signInSimulation().totals).toMatchObject({ registeredEnforced: 0, registeredAtNudge: 0, passkeysRegistered: 0 });
  });

  it('a disabled campaign nudges nobody', () => {
    const { tenant, controls, ids, passkeys } = tenantAt('2027-01-10T09:00:00Z');
    requireMfa(tenant, ids('hasPhoneMethod'));
    expect(tenant.authenticationPolicies.updatePolicy({ campaign: { state: 'disabled' } }).ok).toBe(true);
    controls.setSignInSimulation({ registerProbability: 1 });
    expect(controls.simulateSignIns({ share: 1, seed: 1 }).nudged).toBe(0);
    expect(ids('hasPhoneMethod').map(passkeys).every((count) => count === 0)).toBe(true);
  });

  it('a user holding an unused Temporary Access Pass registers a passkey at the next sign-in, and the pass is used', () => {
    const { tenant, controls, ids, passkeys, later } = tenantAt('2027-01-10T09:00:00Z');
    const [user] = ids('missingMobile');
    if (user === undefined) throw new Error('no user without a method generated');
    const policy = tenant.methodsPolicy().authenticationMethodConfigurations.TemporaryAccessPass;
    expect(tenant.temporaryAccessPasses.create({ userId: user, isExternalGuest: false, allowedByPolicy: true }, { lifetimeInMinutes: 480 }, policy).ok).toBe(true);
    controls.setSignInSimulation({ registerProbability: 0 }); // the pass path does not depend on the prompt's odds
    const day = controls.simulateSignIns({ share: 1, seed: 1 });
    expect(passkeys(user)).toBe(1);
    expect(day.registeredWithPass).toBe(1);
    expect(tenant.temporaryAccessPasses.get(user)?.used).toBe(true);
    later(0.1);
    controls.simulateSignIns({ share: 1, seed: 2 });
    expect(passkeys(user)).toBe(1); // a used pass registers nothing more
  });

  it('after the retirement date an SMS-only user meets the blocking prompt: registers or is blocked; customerManaged keeps SMS working', () => {
    const blockedOnce = (smsDelivery: 'microsoft' | 'customerManaged', registerProbability: number, date = '2027-02-01T09:00:00Z') => {
      const { tenant, controls, ids, passkeys } = tenantAt(date);
      requireMfa(tenant, ids('hasPhoneMethod'));
      // every user whose sign-in asks for MFA and who has only phones (the generated per-user enforced ones too)
      const smsOnly = tenant.users.filter((user) => tenant.mfaRequired(user.id) && tenant.phoneMethods(user.id).length > 0 && tenant.otherMethods(user.id).length === 0).map((user) => user.id);
      // a campaign that nudges nobody, so that only the blocking prompt can make them register
      expect(tenant.authenticationPolicies.updatePolicy({ campaign: { state: 'disabled' } }).ok).toBe(true);
      controls.setSignInSimulation({ smsDelivery, registerProbability, smsRetirementDate: '2027-02-01' });
      const day = controls.simulateSignIns({ share: 1, seed: 3 });
      return { day, registered: smsOnly.filter((id) => passkeys(id) > 0).length, users: smsOnly.length, blocked: controls.signInSimulation().blockedSignIns };
    };
    const blocked = blockedOnce('microsoft', 0);
    expect(blocked.day.blocked).toBe(blocked.users);
    expect(blocked.blocked.map((entry) => entry.at)).toEqual(Array.from({ length: blocked.users }, () => '2027-02-01T09:00:00.000Z'));
    expect(blocked.registered).toBe(0);
    const registering = blockedOnce('microsoft', 1);
    expect({ blocked: registering.day.blocked, atBlock: registering.day.registeredAtBlock, registered: registering.registered }).toEqual({ blocked: 0, atBlock: registering.users, registered: registering.users });
    const customer = blockedOnce('customerManaged', 0);
    expect({ blocked: customer.day.blocked, registered: customer.registered, log: customer.blocked }).toEqual({ blocked: 0, registered: 0, log: [] });
    const dayBefore = blockedOnce('microsoft', 0, '2027-01-31T23:59:00Z');
    expect(dayBefore.day.blocked).toBe(0);
  });

  it('is deterministic under the seed', () => {
    const run = (seed: number) => {
      const { tenant, controls, ids, passkeys } = tenantAt('2027-01-10T09:00:00Z');
      requireMfa(tenant, [...ids('hasPhoneMethod'), ...ids('ready')]);
      controls.setSignInSimulation({ registerProbability: 0.5 });
      const day = controls.simulateSignIns({ share: 0.5, seed });
      return { day, registered: tenant.users.filter((user) => passkeys(user.id) > 0 && user.category !== 'passkeyDeviceBound' && user.category !== 'passkeySynced').map((user) => user.id) };
    };
    expect(run(11)).toEqual(run(11));
    expect(run(12).registered).not.toEqual(run(11).registered);
  });
});

describe('the simulation through the admin API', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 120, seed: 52, clock: () => new Date('2027-02-03T08:00:00Z'), faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes its settings, runs a day, shows the blocked sign-ins, and lists users as Graph holds them', async () => {
    const state = t.sandbox.state;
    for (const user of t.sandbox.manifest.users.filter((candidate) => candidate.category === 'hasPhoneMethod')) state.setPerUserMfaState(user.id, 'enforced');
    const smsOnly = state.users.filter((user) => state.mfaRequired(user.id) && state.phoneMethods(user.id).length > 0 && state.otherMethods(user.id).length === 0).map((user) => user.id);
    t.sandbox.state.authenticationPolicies.updatePolicy({ campaign: { state: 'disabled' } });
    expect((await t.raw('/_sandbox/signInSimulation', json({ registerProbability: 2 }))).status).toBe(400);
    expect((await t.raw('/_sandbox/signInSimulation', json({ smsDelivery: 'carrierPigeon' }))).status).toBe(400);
    expect((await t.raw('/_sandbox/signInSimulation', json({ smsRetirementDate: '1 Feb 2027' }))).status).toBe(400);
    expect((await t.raw('/_sandbox/simulateSignIns', json({ share: -1 }))).status).toBe(400);
    const set = await t.raw('/_sandbox/signInSimulation', json({ registerProbability: 0, smsDelivery: 'microsoft', smsRetirementDate: '2027-02-01' }));
    expect(set.json).toMatchObject({ settings: { registerProbability: 0, smsDelivery: 'microsoft', smsRetirementDate: '2027-02-01' }, blockedSignIns: [] });
    const day = (await t.raw('/_sandbox/simulateSignIns', json({ share: 1, seed: 4 }))).json as { blocked: number };
    expect(day.blocked).toBe(smsOnly.length);
    const view = (await t.raw('/_sandbox/signInSimulation')).json as { blockedSignIns: { userId: string }[]; totals: { days: number; blocked: number } };
    expect(view.blockedSignIns.map((entry) => entry.userId).sort()).toEqual([...smsOnly].sort());
    expect(view.totals).toMatchObject({ days: 1, blocked: smsOnly.length });

    const users = ((await t.raw('/_sandbox/tenantUsers')).json as { users: TenantUserFacts[] }).users;
    expect(users).toHaveLength(t.sandbox.state.users.length);
    const first = users.find((user) => user.id === t.sandbox.manifest.users.find((candidate) => candidate.category === 'hasPhoneMethod')?.id);
    expect(first).toMatchObject({ perUserMfaState: 'enforced', methods: ['mobile'], groups: { mfaRequired: false, campaign: false, phishingResistant: false, phoneRetired: false }, temporaryAccessPass: false });
    expect(JSON.stringify(users)).not.toMatch(/\+\d/); // no phone number
  });
});
