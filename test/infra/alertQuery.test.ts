import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { topErrors } from '../../shared/core/topErrors.js';
import { createLogger } from '../../shared/log/logEvent.js';
import { readRepoFile, repoRoot } from './bicepText.js';

/**
 * The alert rules in infra/main.bicep read the job's structured log lines out of Application Insights
 * `traces.message`. These tests hold the rules to the code that writes those lines: the events exist and
 * are logged at the level the rule's severity assumes, and the query's text handling (extract,
 * replace_regex, trim: RE2 patterns that mean the same in JavaScript) turns a real log line into the
 * dimensions the alert shows.
 */

const bicep = readRepoFile('infra/main.bicep');

/** The events the rules watch (the alertedEvents variable). */
function alertedEvents(): string[] {
  const block = /var alertedEvents = \[([^\]]*)\]/.exec(bicep)?.[1] ?? '';
  return block.split('\n').map((line) => /^\s*'([\w.]+)'/.exec(line)?.[1]).filter((name): name is string => name !== undefined);
}

/** Each event rule's severity and the traces.severityLevel filter it applies (the eventAlerts variable). */
function ruleLevels(): Map<number, string> {
  const block = bicep.slice(bicep.indexOf('var eventAlerts = ['), bicep.indexOf('resource eventAlertRules'));
  return new Map([...block.matchAll(/severity:\s*(\d)\s*\n\s*levelFilter:\s*'([^']*)'/g)].map((match) => [Number(match[1]), match[2] ?? '']));
}

/** Every `logger.event('name', ..., 'level')` in the job's sources: name -> levels. */
function loggedEvents(): Map<string, Set<string>> {
  const logged = new Map<string, Set<string>>();
  for (const dir of ['shared', 'functions']) {
    for (const file of readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const source = readRepoFile(join(dir, file));
      for (const match of source.matchAll(/\.event\(\s*'([\w.]+)'([^;]*)\)\s*;/g)) {
        const level = /'(debug|info|warn|error)'\s*$/.exec(match[2] ?? '')?.[1] ?? 'info';
        const levels = logged.get(match[1] ?? '') ?? new Set<string>();
        levels.add(level);
        logged.set(match[1] ?? '', levels);
      }
    }
  }
  return logged;
}

function verbatim(before: string): string {
  const start = bicep.indexOf(before);
  if (start < 0) throw new Error(`the alert query has no ${before}`);
  const match = /^@'([^']*)'/.exec(bicep.slice(start + before.length));
  if (match === null) throw new Error(`no verbatim string after ${before}`);
  return match[1] ?? '';
}

/** The event query's projection, applied in JavaScript to one `traces.message`. */
function dimensionsOf(message: string): Record<string, string> | null {
  if (!/\bevent\b/.test(message)) return null; // | where message has "event"
  const line = JSON.parse(message) as Record<string, unknown>;
  const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value)); // tostring()
  const orDash = (value: string): string => (value === '' ? '-' : value);
  const topErrorsJson = new RegExp(verbatim("extract(")).exec(message)?.[1] ?? '';
  const rewrite = verbatim(`replace_regex(topErrorsJson, @'${verbatim('replace_regex(topErrorsJson, ')}', `).replace(/\\(\d)/g, '$$$1');
  const replaced = topErrorsJson.replace(new RegExp(verbatim('replace_regex(topErrorsJson, '), 'g'), rewrite);
  const trimPattern = verbatim('trim(');
  const trimmed = replaced.replace(new RegExp(`^(?:${trimPattern})+`), '').replace(new RegExp(`(?:${trimPattern})+$`), '');
  return {
    event: text(line.event),
    waveId: orDash(text(line.waveId)),
    reason: orDash(text(line.reason).slice(0, 240)),
    topErrors: trimmed === '' ? '-' : trimmed.replaceAll(',', ', '),
    errorCode: orDash(text(line.errorCode)),
    tenantId: orDash(text(line.tenantId)),
  };
}

function logLine(name: string, fields: Record<string, unknown>, level: 'warn' | 'error'): string {
  const lines: string[] = [];
  createLogger((_level, line) => lines.push(line), { runId: 'c0ffee00-0000-4000-8000-000000000001' }).event(name, fields, level);
  return lines[0] ?? '';
}

describe('alert rules', () => {
  const expectedEvents = [
    'wave.halted', 'night.held', 'wave.stopped', 'night.halted', 'config.invalid', 'deadline.atRisk',
    'tenant.failed', 'tenant.messageInvalid', 'tenant.configInvalid', 'tenant.enqueueFailed', 'tenant.unreadable',
  ];

  it('fire on exactly the rollout events on-call must hear about', () => {
    expect([...alertedEvents()].sort()).toEqual([...expectedEvents].sort());
    expect(bicep).toContain("'__EVENTS__', 'dynamic(${string(alertedEvents)})'");
  });

  it('send error-level events at severity 1 and warnings at severity 2 (traces.severityLevel 3 and 2)', () => {
    expect(ruleLevels()).toEqual(new Map([[1, 'severityLevel >= 3'], [2, 'severityLevel == 2']]));
    expect(bicep).toContain("'__LEVEL__', rule.levelFilter");
  });

  it('watch events the job really logs, at warning or error level (an info-level one would reach no rule)', () => {
    const logged = loggedEvents();
    const problems: string[] = [];
    for (const name of alertedEvents()) {
      const levels = logged.get(name);
      if (levels === undefined) problems.push(`${name} is never logged by shared/ or functions/`);
      else if ([...levels].some((level) => level !== 'warn' && level !== 'error')) problems.push(`${name} is logged at ${[...levels].join('/')}`);
    }
    expect(problems).toEqual([]);
  });

  it('split alerts by the columns the query projects', () => {
    const dimensions = [...bicep.matchAll(/name: '(\w+)'\s*\n\s*operator: 'Include'/g)].map((match) => match[1]);
    const projected = [...bicep.matchAll(/^\s*(?:\| project timestamp, )?(event|\w+) = iff\(/gm)].map((match) => match[1]);
    expect(dimensions).toEqual(['event', 'waveId', 'reason', 'topErrors', 'errorCode', 'tenantId']);
    expect(['event', ...projected]).toEqual(dimensions);
  });

  it('name the wave, the reason and the top error codes of a halted wave', () => {
    const message = logLine('wave.halted', {
      waveId: '2026-11-25T01-00-00Z',
      status: 'halted',
      attempted: 88,
      failed: 11,
      reason: 'failure rate 12.5% over 88 attempts (MFA_HALT_FAILURE_RATE 0.1)',
      topErrors: topErrors([...Array<string>(9).fill('GRAPH_THROTTLED'), 'GRAPH_TIMEOUT', 'GRAPH_TIMEOUT']),
    }, 'error');
    expect(dimensionsOf(message)).toEqual({
      event: 'wave.halted',
      waveId: '2026-11-25T01-00-00Z',
      reason: 'failure rate 12.5% over 88 attempts (MFA_HALT_FAILURE_RATE 0.1)',
      topErrors: 'GRAPH_THROTTLED x9, GRAPH_TIMEOUT x2',
      errorCode: '-',
      tenantId: '-',
    });
  });

  it('give the counts and days left of an SMS retirement at risk, never a name', () => {
    const reason = '12 of 40 user(s) at risk are projected still on SMS or voice only or without a method on 2027-02-01 (20 day(s) left) at 1.4 registration(s) per night over the last 7 night(s).';
    const message = logLine('deadline.atRisk', { reason, retirementDate: '2027-02-01', daysLeft: 20, atRiskNow: 40, projectedOnDate: 12, pace: { nights: 7, registrations: 10, perNight: 1.4 } }, 'error');
    expect(dimensionsOf(message)).toEqual({ event: 'deadline.atRisk', waveId: '-', reason, topErrors: '-', errorCode: '-', tenantId: '-' });
    expect(JSON.parse(message)).toMatchObject({ daysLeft: 20, atRiskNow: 40, projectedOnDate: 12, pace: { perNight: 1.4 } });
  });

  it('show a dash, not an empty dimension, for what an event does not carry', () => {
    const message = logLine('config.invalid', { errorCode: 'CONFIG_INVALID', message: 'MFA_WAVE_SIZE: expected a number' }, 'error');
    expect(dimensionsOf(message)).toEqual({ event: 'config.invalid', waveId: '-', reason: '-', topErrors: '-', errorCode: 'CONFIG_INVALID', tenantId: '-' });
    const held = logLine('night.halted', { waveId: null, reason: null }, 'warn');
    expect(dimensionsOf(held)).toMatchObject({ waveId: '-', reason: '-', topErrors: '-' });
  });

  it('name the tenant of a many-tenants event', () => {
    const message = logLine('tenant.failed', { tenantId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', rolloutId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', errorCode: 'TENANT_NOT_CONSENTED', message: 'Tenant 3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b refused a token' }, 'error');
    expect(dimensionsOf(message)).toEqual({ event: 'tenant.failed', waveId: '-', reason: '-', topErrors: '-', errorCode: 'TENANT_NOT_CONSENTED', tenantId: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b' });
  });

  it('watch the poison queue of the tenant nights: the host\'s own line when it moves a message there', () => {
    expect(bicep).toContain("query: replace(poisonQuery, '__POISON__', '${tenantQueue}-poison')");
    expect(bicep).toMatch(/resource poisonAlertRule 'Microsoft\.Insights\/scheduledQueryRules@[\d-]+' = if \(alertsEnabled && multiTenant\)/);
  });

  it('the failed-run rule is not silenced by deadline.atRisk, which says nothing about how the run ended', () => {
    expect(bicep).toContain("var runOutcomeEvents = filter(alertedEvents, name => name != 'deadline.atRisk')");
    expect(bicep).toContain("replace(replace(failedRunQuery, '__FUNCTION__', timerFunctionName), '__EVENTS__', 'dynamic(${string(runOutcomeEvents)})')");
    expect(bicep).not.toContain("replace(failedRunQuery, '__FUNCTION__', timerFunctionName), '__EVENTS__', 'dynamic(${string(alertedEvents)})'");
  });

  it('look for the failed runs of the function the timer registers', () => {
    const registered = /app\.timer\(\s*'(\w+)'/.exec(readRepoFile('functions/nightlyWave.ts'))?.[1];
    expect(registered).toBeDefined();
    expect(bicep).toContain(`var timerFunctionName = '${registered}'`);
  });
});
