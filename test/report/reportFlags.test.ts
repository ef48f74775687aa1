import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../shared/log/logEvent.js';
import { flaggedNights } from '../../shared/report/flaggedNights.js';
import { renderReportHtml } from '../../shared/report/renderReportHtml.js';
import { renderReportText } from '../../shared/report/renderReportText.js';
import { buildReport } from '../../shared/shell/buildReport.js';
import { rollbackWave } from '../../shared/shell/rollbackWave.js';
import { runWave } from '../../shared/shell/runWave.js';
import { wave } from '../core/waveBuilder.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 40, seed: 91 });
const quiet = createLogger(() => undefined);
const dayMs = 86_400_000;

describe('flaggedNights', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 10, 20 + day, 1)).toISOString();
  it('held and stopped nights after the last completed wave, newest first', () => {
    const history = [
      wave({ startedAt: at(0), status: 'stopped', reason: 'early trouble' }),
      wave({ startedAt: at(1) }),
      wave({ startedAt: at(2), kind: 'held', status: 'held', reason: 'syncStale' }),
      wave({ startedAt: at(3), kind: 'rollback', status: 'done', targetWaveId: 'w' }),
      wave({ startedAt: at(4), status: 'stopped', reason: 'time budget' }),
    ];
    expect(flaggedNights(history).map((night) => [night.status, night.reason])).toEqual([['stopped', 'time budget'], ['held', 'syncStale']]);
    expect(flaggedNights([...history, wave({ startedAt: at(5) })])).toEqual([]);
    expect(flaggedNights([wave({ startedAt: at(0), kind: 'held', status: 'held', reason: 'syncDisabled' })])).toHaveLength(1);
  });
});

describe('the report of real tables: a pilot wave, its rollback, a held night', () => {
  it('flags the held night at the top, shows the rollback in its own column, and calls the pilot wave a pilot wave in text and HTML', async () => {
    const { sandbox } = tenant();
    const { config, rollout } = await tenant().open({ MFA_NOTICE_DAYS: '0' });
    const night1 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'pilot' });
    if (night1.outcome !== 'wave') throw new Error(`expected a wave, got ${night1.outcome}`);
    expect(night1.wave).toMatchObject({ pilot: true, status: 'completed' });
    expect(night1.wave.enforced).toBeGreaterThan(0);
    const undone = await rollbackWave(config, rollout.ports, quiet, sandbox.state.now(), { waveId: night1.wave.waveId, dryRun: false, removePhoneMethods: false, runId: 'rollback' });
    sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + dayMs));
    sandbox.controls.setOrganization({ lastSyncAgeMinutes: 600 });
    try {
      const night2 = await runWave({ config, clock: () => sandbox.state.now(), ports: rollout.ports, logger: quiet, runId: 'stale' });
      expect(night2.outcome).toBe('held');
    } finally {
      sandbox.controls.setOrganization({ lastSyncAgeMinutes: 20 });
    }

    const report = await buildReport(config, rollout.ports, sandbox.state.now());
    expect(report.flagged).toEqual([expect.objectContaining({ status: 'held', reason: expect.stringMatching(/^syncStale \(last sync (599|600) min ago\)$/) })]);
    const rollbackRow = report.waves.find((row) => row.kind === 'rollback');
    expect(rollbackRow).toMatchObject({ enforced: 0, rolledBack: undone.reverted, targetWaveId: night1.wave.waveId });
    expect(undone.reverted).toBe(night1.wave.enforced - night1.wave.alreadyDone);

    const text = renderReportText(report);
    expect(text).toContain('ATTENTION: 1 night held, not followed by a completed wave:');
    expect(text).toMatch(new RegExp(`^ {2}${night1.wave.waveId} +enforce \\(pilot\\) +completed `, 'm'));
    expect(text).toMatch(new RegExp(`^ {2}${rollbackRow?.waveId ?? '?'} +rollback +done +\\S+ s +0 +0 +${undone.reverted} +0 +of wave ${night1.wave.waveId}: rolled back`, 'm'));
    const html = renderReportHtml(report);
    expect(html).toContain(`<div class="banner warning" data-field="flagged" data-value="1">`);
    expect(html).toContain('<td data-field="kind">enforce (pilot)</td>');
    expect(html).toContain(`<td class="number" data-field="rolledBack">${undone.reverted}</td>`);
  });
});
