import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildProgram } from '../../shared/cli/program.js';
import type { ProgressReporter } from '../../shared/cli/progressReporter.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 50, seed: 23 });

/** A progress reporter that records its calls. */
function recordingProgress() {
  const calls: string[] = [];
  const progress: ProgressReporter = {
    start: (label, total) => calls.push(`start ${label} ${total ?? '?'}`),
    update: (done, total) => calls.push(`update ${done}/${total ?? '?'}`),
    stop: () => calls.push('stop'),
  };
  return { progress, calls };
}

/** `mfa-rollout <args>` in-process with a local.settings.json and a recording progress reporter. */
async function cli(settings: Record<string, string>, progress: ProgressReporter, ...args: string[]): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mfa-cli-report-'));
  const file = path.join(dir, 'local.settings.json');
  writeFileSync(file, JSON.stringify({ IsEncrypted: false, Values: settings }));
  const chunks: string[] = [];
  const program = buildProgram({ out: { write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WritableStream, progress });
  program.exitOverride();
  await program.parseAsync(['node', 'mfa-rollout', '--settings', file, ...args]);
  return chunks.join('');
}

describe('mfa-rollout: progress of long work, and report --html', () => {
  it('plan and run-wave report the roster refresh and the enrolment; report --html writes the page; rollback reports its writes', async () => {
    const settings = tenant().settings({ MFA_NOTICE_DAYS: '0', MFA_PILOT_GROUP_ID: '', MFA_WAVE_SIZE: '10', MFA_USER_PAGE_SIZE: '20' });

    const plan = recordingProgress();
    await cli(settings, plan.progress, 'plan');
    expect(plan.calls).toEqual(['start reading users from Graph ?', 'update 20/?', 'update 40/?', 'update 50/?', 'stop']);

    const night = recordingProgress();
    const waveLine = await cli(settings, night.progress, 'run-wave');
    const waveId = /^Wave (\S+) completed: planned 10, enforced 10/.exec(waveLine)?.[1];
    expect(waveId).toBeDefined();
    expect(night.calls.slice(0, 4)).toEqual(['start reading users from Graph ?', 'update 20/?', 'update 40/?', 'update 50/?']);
    const starts = night.calls.filter((call) => call.startsWith('start'));
    expect(starts.slice(1, -1).every((call) => /^start reading MFA methods \d+$/.test(call))).toBe(true); // probes, when planned
    expect(starts.at(-1)).toBe('start enrolling the wave 10');
    const enrolment = night.calls.slice(night.calls.indexOf('start enrolling the wave 10') + 1);
    expect(enrolment).toEqual([...Array.from({ length: 10 }, (_, index) => `update ${index + 1}/10`), 'stop']);

    const dir = mkdtempSync(path.join(tmpdir(), 'mfa-html-'));
    const file = path.join(dir, 'report.html');
    const text = await cli(settings, recordingProgress().progress, 'report', '--html', file);
    expect(text).toMatch(/^Rollout default: 50 users/);
    expect(text).toContain(`HTML report written to ${file}.`);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`<tr data-wave-id="${waveId ?? ''}" class="status-completed">`);
    expect(html).toContain('<div class="card enforced" data-metric="enforced"><dt>Enforced</dt><dd><span class="value" data-value="10">10</span>');

    const rollback = recordingProgress();
    const undone = await cli(settings, rollback.progress, 'rollback', '--wave', waveId ?? '');
    const reverted = Number(/: (\d+) of \1 user\(s\) of wave \S+ rolled back/.exec(undone)?.[1]); // users the wave wrote (not those already enforced)
    expect(reverted).toBeGreaterThan(5);
    expect(rollback.calls[0]).toBe(`start rolling back wave ${waveId ?? ''} ${reverted}`);
    expect(rollback.calls.filter((call) => call.startsWith('update'))).toHaveLength(reverted);
    expect(rollback.calls).toContain(`update ${reverted}/${reverted}`);
    expect(rollback.calls.at(-1)).toBe('stop');
  });
});
