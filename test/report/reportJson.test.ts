import { describe, expect, it } from '@jest/globals';
import { decideTenantPosture } from '../../shared/core/posture/decideTenantPosture.js';
import { documentedFields as documented } from './helpers/reportJsonDoc.js';
import { sampleDeadline } from './helpers/sampleDeadline.js';
import { passkeyTrack, testConfig } from '../core/configBuilder.js';
import { postureInput } from '../core/posture/postureBuilder.js';

/** Every path of a JSON value, arrays as `[]` (objects and arrays are paths too). */
function paths(value: unknown, prefix: string): string[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item) => paths(item, `${prefix}[]`))];
  if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([key, inner]) => paths(inner, `${prefix}.${key}`))];
  return [prefix];
}

describe('mfa-rollout report --json, as docs/report-json.md documents it', () => {
  it('documents every field of the deadline section, and nothing it does not have', () => {
    const config = testConfig(passkeyTrack);
    const now = new Date('2026-11-25T09:00:00.000Z');
    const decided = decideTenantPosture(postureInput(), config, now);
    const posture = { ...decided, problems: [{ code: 'campaignOff' as const, severity: 'warning' as const, message: 'the registration campaign is off', fix: 'mfa-rollout setup-passkeys --apply' }] };
    const deadline = JSON.parse(JSON.stringify(sampleDeadline(now, posture))) as unknown;
    const actual = new Set(paths(deadline, 'deadline').filter((path) => path !== 'deadline'));
    // the sample has one of each kind: a problem, a wave with both windows, a straggler with a TAP, three nights
    const withContainers = new Set(documented('## `deadline`').flatMap((path) => [path, path.replace(/\[\]$/, '')]));
    expect([...actual].filter((path) => !withContainers.has(path) && !withContainers.has(`${path}[]`))).toEqual([]);
    expect(documented('## `deadline`').filter((path) => !actual.has(path.replace(/\[\]$/, '')) && !actual.has(path))).toEqual([]);
  });

  // the top-level fields are checked against a real report in test/report/deadlineReport.test.ts
});
