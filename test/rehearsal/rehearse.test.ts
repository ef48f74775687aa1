import { describe, expect, it } from '@jest/globals';
import { buildRehearsalProgram } from '../../rehearsal/rehearsalProgram.js';
import { nightsThrough, rehearse, tonight, type RehearsalOptions } from '../../rehearsal/rehearse.js';
import { outOfScopeKinds } from '../../rehearsal/expectedStanding.js';
import type { SandboxHandle } from '../../sandbox/startSandbox.js';

/** A writable that keeps what the command prints. */
function capture() {
  const chunks: string[] = [];
  return { out: { write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What the sandbox tenant holds at the end of a night's day, counted straight from its state (not through the admin API the rehearsal uses). */
interface TenantCount {
  readonly phishingResistant: number;
  readonly smsOnly: number;
  /** Passkeys created since the night began (01:00 of its date): the day's registrations. */
  readonly passkeysToday: number;
  readonly phoneWrites: number;
  readonly passes: number;
}

function countTenant(sandbox: SandboxHandle, night: number, start: string): TenantCount {
  const nightStart = new Date(Date.parse(`${start}T01:00:00Z`) + (night - 1) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const { state, manifest } = sandbox;
  const kinds = new Map(manifest.users.map((user) => [user.id, user.category]));
  const inScope = state.users.filter((user) => user.accountEnabled && !outOfScopeKinds.includes(kinds.get(user.id) ?? 'disabled'));
  const written = (operation: string) => sandbox.journal.entries().filter((entry) => entry.operation === operation && entry.status < 300).length;
  return {
    phishingResistant: state.users.filter((user) => state.isGroupMember(manifest.groups.phishingResistant, user.id)).length,
    smsOnly: inScope.filter((user) => state.phoneMethods(user.id).length > 0 && state.otherMethods(user.id).length === 0).length,
    passkeysToday: state.users.reduce((sum, user) => sum + state.otherMethods(user.id).filter((method) => method.kind === 'fido2' && method.createdDateTime >= nightStart).length, 0),
    phoneWrites: written('phoneMethods.create') + written('phoneMethods.update'),
    passes: written('temporaryAccessPassMethods.create'),
  };
}

/** A fixed-date rehearsal that records the tenant's own counts after every night. */
async function rehearseCounting(options: Omit<RehearsalOptions, 'out' | 'afterNight'> & { readonly start: string }, tamper?: (night: number, sandbox: SandboxHandle) => void) {
  const printed = capture();
  const counts: TenantCount[] = [];
  const outcome = await rehearse({
    ...options,
    out: printed.out,
    afterNight: (night, sandbox) => {
      tamper?.(night, sandbox);
      counts.push(countTenant(sandbox, night, options.start));
    },
  });
  return { outcome, counts, text: printed.text() };
}

const small = { users: 80, waveSize: 15, seed: 4, strategy: 'perUserMfa', noticeDays: 1 } as const;
/** Each run takes 5–20 s alone; the full suite on a loaded machine can take several times that. */
const runTimeout = 150_000;

describe('npm run rehearse (fixed dates, few users, nights around the retirement date)', () => {
  it('walks the journey across 1 February 2027: each row agrees with the tenant, no phone is bridged from the date, SMS-only users are named', async () => {
    const { outcome, counts, text } = await rehearseCounting({ ...small, start: '2027-01-29', registerProbability: 0.2 });
    expect(outcome.ok).toBe(true);
    // by default through the day after the date
    expect(outcome.nights.map((row) => row.date)).toEqual(['2027-01-29', '2027-01-30', '2027-01-31', '2027-02-01', '2027-02-02']);
    for (const [index, row] of outcome.nights.entries()) {
      const tenant = counts[index];
      const earlier = counts[index - 1] ?? { phoneWrites: 0, passes: 0 };
      expect({ date: row.date, phishingResistant: row.phishingResistant, smsOnly: row.smsOnly, bridged: row.bridged, taps: row.tapsIssued, passkeys: row.passkeysRegistered }).toEqual({
        date: row.date,
        phishingResistant: tenant?.phishingResistant,
        smsOnly: tenant?.smsOnly,
        bridged: (tenant?.phoneWrites ?? 0) - earlier.phoneWrites,
        taps: (tenant?.passes ?? 0) - earlier.passes,
        passkeys: tenant?.passkeysToday,
      });
    }
    expect(outcome.nights.filter((row) => row.date >= '2027-02-01').map((row) => row.bridged)).toEqual([0, 0]);
    expect(outcome.nights.slice(0, 3).some((row) => row.bridged > 0)).toBe(true);
    expect(outcome.nights.some((row) => row.phishingResistant > 0)).toBe(true);
    expect(outcome.journal.smsAfterRetirement).toEqual([]);
    // the users SMS-only on the date, counted and named
    const onDate = outcome.smsOnlyOnDate;
    expect(onDate?.users.length).toBe(outcome.nights.find((row) => row.date === '2027-02-01')?.smsOnly);
    expect(text).toContain(`SMS-only on the retirement date 2027-02-01: ${onDate?.users.length}`);
    for (const user of onDate?.users ?? []) expect(text).toContain(`    ${user.upn} (${user.category})`);
    // from the date, SMS-only users who sign in with MFA meet the blocking prompt
    expect(outcome.nights.filter((row) => row.date < '2027-02-01').every((row) => row.blocked === 0)).toBe(true);
    expect(outcome.blockedSignIns.length).toBe(outcome.nights.reduce((sum, row) => sum + row.blocked, 0));
    expect(outcome.blockedSignIns.length).toBeGreaterThan(0);
    expect(outcome.blockedSignIns.every((entry) => entry.at >= '2027-02-01')).toBe(true);
    // the users with nothing to sign in with got a pass, and none of them was excluded
    expect(outcome.nights.reduce((sum, row) => sum + row.tapsIssued, 0)).toBeGreaterThan(0);
    expect(outcome.journal.passForExcluded).toEqual([]);
    expect(text).toContain('Rehearsal passed.');
  }, runTimeout);

  it('customerManaged: the bridge goes on after the date and nobody is blocked for SMS', async () => {
    const { outcome } = await rehearseCounting({ ...small, start: '2027-01-31', nights: 3, smsDelivery: 'customerManaged', registerProbability: 0 });
    expect(outcome.ok).toBe(true);
    expect(outcome.nights.filter((row) => row.date >= '2027-02-01').reduce((sum, row) => sum + row.bridged, 0)).toBeGreaterThan(0);
    expect(outcome.blockedSignIns).toEqual([]);
  }, runTimeout);

  it('the outcome check reads the tenant: a roster that says enforced where Graph does not fails the rehearsal, by name', async () => {
    let victim = '';
    let retired = '';
    const { outcome, text } = await rehearseCounting({ ...small, start: '2027-01-20', nights: 4, registerProbability: 1 }, (night, sandbox) => {
      if (night !== 4) return;
      const state = sandbox.state;
      // behind the rollout's back: one enforced user's per-user MFA is switched off, one phishing-resistant member removed
      const enforced = state.users.find((user) => state.perUserMfaState(user.id) === 'enforced' && sandbox.manifest.users.find((entry) => entry.id === user.id)?.category === 'ready');
      const member = state.users.find((user) => state.isGroupMember(sandbox.manifest.groups.phishingResistant, user.id));
      if (enforced === undefined || member === undefined) throw new Error('nobody enforced and in the phishing-resistant group after 4 nights');
      state.setPerUserMfaState(enforced.id, 'disabled');
      state.removeGroupMember(sandbox.manifest.groups.phishingResistant, member.id);
      victim = enforced.userPrincipalName;
      retired = member.userPrincipalName;
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.outcome).toEqual(expect.arrayContaining([
      { upn: victim, claim: 'MFA enforced', graph: 'per-user MFA disabled' },
      { upn: retired, claim: 'in the phishing-resistant group', graph: 'not a member' },
    ]));
    expect(text).toContain(`${victim}: roster says MFA enforced; Graph: per-user MFA disabled`);
    expect(text).toContain('Rehearsal FAILED.');
  }, runTimeout);

  it('the command line: a fixed start, a few nights, exit 0, and no log line holds anything sensitive', async () => {
    const printed = capture();
    const logLines: string[] = [];
    let exit = -1;
    const program = buildRehearsalProgram({ out: printed.out, logSink: (_level, line) => logLines.push(line), setExit: (code) => { exit = code; } });
    program.exitOverride();
    await program.parseAsync(['node', 'rehearse', '--log-level', 'debug', '--users', '60', '--start', '2027-01-30', '--nights', '3', '--wave-size', '20', '--notice-days', '1', '--seed', '3', '--report', '/dev/null']);
    const text = printed.text();
    expect(exit).toBe(0);
    expect(text.match(/^ +\d+ 2027-0\d-\d\d /gm)).toHaveLength(3);
    expect(text).toContain('setup-passkeys --apply: 2 write(s); preflight passes');
    expect(text).toContain('ok   users put in the phishing-resistant group without a passkey: 0');
    expect(text).toContain('ok   roster claims the tenant does not bear out (or excluded users touched): 0');
    expect(text).toContain('Rehearsal passed.');
    expect(logLines.length).toBeGreaterThan(20);
    for (const line of logLines) {
      const scanned = line.replace(guid, '<id>');
      expect(scanned).not.toMatch(/\d{7,}/); // a phone number (or any long digit run)
      expect(scanned).not.toMatch(/\+\s*\d/); // an international number
      expect(scanned).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/); // a JWT
      expect(scanned).not.toMatch(/secret|password|AccountKey=/i);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  }, runTimeout);

  it('starts tonight by default (the next 01:00 UTC) and runs through the day after the date', () => {
    expect(tonight(new Date('2026-12-01T00:59:59Z'))).toBe('2026-12-01');
    expect(tonight(new Date('2026-12-01T01:00:00Z'))).toBe('2026-12-02');
    expect(tonight(new Date('2026-12-31T22:00:00Z'))).toBe('2027-01-01');
    expect(nightsThrough('2026-12-02', '2027-02-01')).toBe(63); // 2 December … 2 February
    expect(nightsThrough('2027-02-01', '2027-02-01')).toBe(2);
    expect(nightsThrough('2027-03-01', '2027-02-01')).toBe(1);
  });

  it('refuses a start that is not a date', async () => {
    const printed = capture();
    const errors: string[] = [];
    const program = buildRehearsalProgram({ out: printed.out, setExit: () => undefined });
    program.exitOverride().configureOutput({ writeErr: (chunk) => errors.push(chunk), writeOut: () => undefined });
    await expect(program.parseAsync(['node', 'rehearse', '--start', '2027-02-30'])).rejects.toThrow();
    expect(errors.join('')).toContain('expected a date YYYY-MM-DD');
  });
});
