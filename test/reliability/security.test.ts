import { describe, expect, it } from '@jest/globals';
import type { Timer } from '@azure/functions';
import { nightlyWave } from '../../functions/nightlyWave.js';
import type { NightResult } from '../../shared/shell/runWave.js';
import type { RolloutLab } from '../../chaos/rolloutLab.js';
import { captureLogs } from '../helpers/captureLogs.js';
import { checkLab, expectClean, useLabs } from './labHelpers.js';

const labs = useLabs();

const timer: Timer = { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: { last: '2026-11-24T01:00:00Z', next: '2026-11-26T01:00:00Z', lastUpdated: '2026-11-25T01:00:00Z' } };

/** Runs the timer function as the host would: app settings in the environment, a real InvocationContext. */
async function invokeNightly(settings: Readonly<Record<string, string>>, lines: string[], clock?: () => Date): Promise<NightResult> {
  const saved = { ...process.env };
  Object.assign(process.env, settings);
  const { context, lines: captured } = captureLogs('nightlyWave');
  try {
    return await nightlyWave(timer, context, clock);
  } catch (error) {
    captured.push(`thrown ${error instanceof Error ? error.message : String(error)}`); // what the host would log
    throw error;
  } finally {
    lines.push(...captured);
    for (const key of Object.keys(settings)) if (saved[key] === undefined) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Every way a phone number, a token or a secret could show in a line; GUIDs (object and request ids) are stripped first. */
function leaks(lab: RolloutLab, lines: readonly string[]): string[] {
  const numbers = new Set<string>();
  for (const user of lab.sandbox.state.users) {
    for (const number of [user.mobilePhone, ...user.businessPhones, ...lab.sandbox.state.phoneMethods(user.id).map((method) => method.phoneNumber)]) {
      if (number !== null && number.replace(/\D/g, '').length >= 6) numbers.add(number);
    }
  }
  const secrets = [lab.sandbox.clientSecret, 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='];
  const found: string[] = [];
  for (const line of lines) {
    const scanned = line.replace(guid, '<id>');
    const why = [
      /\d{7,}/.test(scanned) && 'a run of 7 or more digits',
      /\+\s*\d/.test(scanned) && '+ followed by digits',
      /eyJ[A-Za-z0-9_-]{8,}/.test(scanned) && 'a JWT',
      /bearer\s+\S/i.test(scanned) && 'a bearer token',
      /AccountKey=|SharedAccessSignature|[?&]sig=/i.test(scanned) && 'a storage key or signature',
      secrets.some((secret) => line.includes(secret)) && 'a secret',
      [...numbers].some((number) => line.includes(number)) && 'a tenant phone number',
    ].filter((reason): reason is string => typeof reason === 'string');
    if (why.length > 0) found.push(`${why.join(', ')}: ${line.slice(0, 300)}`);
  }
  return found;
}

describe('security: permissions and what the logs may hold', () => {
  it('a missing Graph permission holds the night before anything is read or written, naming the permission and the grant script', async () => {
    const lab = await labs.start({ label: 'perm', sandbox: { users: 30, seed: 61 } });
    const granted = [...lab.sandbox.state.app.roles];

    // a fresh process is a fresh credential: its token carries the roles as they are now
    lab.sandbox.controls.setRoles(granted.filter((role) => role !== 'Organization.Read.All'));
    const gate = await lab.run();
    expect(gate.stdout).toContain('Night held (GRAPH_PERMISSION_MISSING): the app lacks the Microsoft Graph application permission(s) Organization.Read.All (or Organization.ReadWrite.All, Directory.Read.All, Directory.ReadWrite.All)');
    expect(gate.stdout).toContain('infra/grant-graph-permissions.sh perUserMfa');

    lab.sandbox.controls.setRoles(granted.filter((role) => role !== 'Policy.ReadWrite.AuthenticationMethod'));
    const held = await lab.run();
    expect(held.code).toBe(4); // exitCodes.held
    expect(held.stdout).toMatch(/Night held \(GRAPH_PERMISSION_MISSING\): the app lacks the Microsoft Graph application permission\(s\) Policy\.ReadWrite\.AuthenticationMethod that MFA_STRATEGY=perUserMfa needs/);
    const { rollout } = await lab.open();
    const waves = await rollout.ports.waves.history();
    expect(waves.map((wave) => [wave.kind, wave.status])).toEqual([['held', 'held'], ['held', 'held']]);
    expect(waves[1]?.reason).toContain('Policy.ReadWrite.AuthenticationMethod');
    expect(await rollout.ports.failures.forWave(waves[1]?.waveId ?? '')).toEqual([]);
    expect(lab.sandbox.journal.entries()).toEqual([]);

    lab.sandbox.controls.setRoles(granted);
    const done = await lab.run();
    expect(done.stdout).toMatch(/completed: .* failed 0/);
    expectClean(await checkLab(lab));
  });

  it('a whole rollout through the timer function (pilot, then growing waves, through faults and a missing permission) and a CLI run at debug level: every log line structured, none with a phone number, token or secret', async () => {
    const lab = await labs.start({ label: 'logs', sandbox: { users: 60, seed: 62 }, settings: { MFA_WAVE_SIZE: '8', MFA_MAX_WAVE_SIZE: '2000' } });
    const settings = { ...lab.settings, MFA_PILOT_GROUP_ID: lab.sandbox.manifest.groups.pilot };
    const lines: string[] = [];
    const granted = [...lab.sandbox.state.app.roles];
    lab.sandbox.traffic.addFault({ kind: 'unavailable', status: 503, count: 4, operations: ['methods.list'] });
    lab.sandbox.traffic.addFault({ kind: 'malformed', shape: 'missingField', operations: ['requirements.read'], count: 2 });
    lab.sandbox.traffic.addFault({ kind: 'throttle', count: 3, retryAfterSeconds: 0 });
    const outcomes: string[] = [];
    const firstNight = Date.now();
    for (let night = 0; night < 10; night += 1) {
      // one wave per night: the tenant's clock and the function's move on a day per run
      lab.sandbox.controls.setNow(new Date(firstNight + night * 86_400_000));
      if (night === 2) lab.sandbox.controls.setRoles(granted.filter((role) => role !== 'UserAuthenticationMethod.ReadWrite.All'));
      if (night === 3) lab.sandbox.controls.setRoles(granted);
      const result = await invokeNightly(settings, lines, () => lab.sandbox.state.now());
      outcomes.push(result.outcome === 'wave' ? `${result.wave.status}${result.wave.pilot ? ' pilot' : ''}` : result.outcome);
      if (result.outcome === 'nothingToDo') break;
    }
    expect(outcomes[0]).toBe('completed pilot');
    expect(outcomes[2]).toBe('held');
    expect(outcomes.at(-1)).toBe('nothingToDo');

    // the CLI path, at debug level, through the same kinds of faults
    lab.sandbox.traffic.addFault({ kind: 'unavailable', status: 503, count: 3 });
    lab.sandbox.controls.setNow(new Date());
    const cli = await lab.spawn(['run-wave', '--again']).done;
    const debug = await lab.run(['--log-level', 'debug', 'plan']);
    const cliLines = [...cli.stderr.split('\n'), ...cli.stdout.split('\n'), ...debug.stderr.split('\n')].filter((line) => line !== '');

    // the scan covers every kind of night: waves opened and closed, the refresh, the held night, the quiet end
    const events = new Set(lines.map((line) => /"event":"([^"]+)"/.exec(line)?.[1]));
    for (const event of ['wave.started', 'wave.closed', 'roster.refreshed', 'night.held', 'night.nothingToDo']) expect(events).toContain(event);
    // the held night's line names the permission, and is scanned with the rest
    expect(lines.some((line) => line.includes('"event":"night.held"') && line.includes('UserAuthenticationMethod.ReadWrite.All'))).toBe(true);
    for (const line of lines) expect(() => JSON.parse(line.slice(line.indexOf(' ') + 1))).not.toThrow(); // level, then one JSON event
    for (const line of cli.stderr.split('\n').filter((text) => text !== '')) expect(() => JSON.parse(line)).not.toThrow();
    expect(leaks(lab, [...lines, ...cliLines])).toEqual([]);
    // the scan itself finds what it looks for
    const number = lab.sandbox.state.users.find((user) => user.mobilePhone !== null)?.mobilePhone ?? '';
    expect(leaks(lab, [`{"event":"x","message":"${number}"}`, '{"a":"+46 70"}', '{"a":"12345678"}', 'Authorization: Bearer abc', `{"s":"${lab.sandbox.clientSecret}"}`])).toHaveLength(5);
    expectClean(await checkLab(lab));
  });
});
