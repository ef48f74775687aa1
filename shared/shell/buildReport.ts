import type { Config } from '../config/configSchema.js';
import { createWavePlanner } from '../core/createWavePlanner.js';
import type { WaveSummary } from '../core/waveHistory.js';
import type { WavePlan } from '../core/wavePlan.js';
import { operatorHint } from '../errors/errorCodes.js';
import type { FailureRecord } from '../adapters/tables/failuresTable.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import { withImportedPilot } from './importPilot.js';
import type { RolloutPorts } from './rolloutPorts.js';

export interface FailureGroup {
  readonly errorCode: string;
  readonly count: number;
  readonly hint: string;
  readonly sampleRequestIds: readonly string[];
  readonly sampleUsers: readonly string[];
}

export interface RolloutReport {
  readonly rolloutId: string;
  readonly generatedAt: string;
  readonly users: number;
  /** Users by where they stand (the planner's reasons: enforced, not-ready reasons, exclusions, waiting...). */
  readonly standing: Readonly<Record<string, number>>;
  readonly plan: Pick<WavePlan, 'status' | 'targetSize' | 'pilot' | 'excluded' | 'notReady'>;
  /** Most recent first. */
  readonly waves: readonly WaveSummary[];
  /** Failures of the reported waves, grouped by error code, largest first. */
  readonly failures: readonly FailureGroup[];
  readonly corruptRows: readonly string[];
}

/** Gathers the on-call report from the tables: where every user stands, the last waves and their failures. */
export async function buildReport(settingsConfig: Config, ports: RolloutPorts, now: Date, options: { lastWaves: number } = { lastWaves: 10 }): Promise<RolloutReport> {
  const config = await withImportedPilot(settingsConfig, ports);
  const history = await ports.waves.history();
  const planner = createWavePlanner(history, config, now);
  const corruptRows: string[] = [];
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) corruptRows.push(row.userId);
    else planner.add(row.user);
  }
  const plan = planner.finish();
  const waves = history.slice(-options.lastWaves).reverse();
  const failures: FailureRecord[] = [];
  for (const wave of waves) if (wave.kind === 'enforce' && wave.failed > 0) failures.push(...(await ports.failures.forWave(wave.waveId)));
  const standing: Record<string, number> = {};
  for (const [reason, count] of Object.entries(plan.waiting)) if (count > 0) standing[reason] = count;
  if (plan.enforce.length > 0) standing['nextWave'] = plan.enforce.length;
  return {
    rolloutId: config.rolloutId,
    generatedAt: now.toISOString(),
    users: plan.total,
    standing,
    plan: { status: plan.status, targetSize: plan.targetSize, pilot: plan.pilot, excluded: plan.excluded, notReady: plan.notReady },
    waves,
    failures: groupFailures(failures),
    corruptRows,
  };
}

export function groupFailures(failures: readonly FailureRecord[]): FailureGroup[] {
  const groups = new Map<string, FailureRecord[]>();
  for (const failure of failures) groups.set(failure.errorCode, [...(groups.get(failure.errorCode) ?? []), failure]);
  return [...groups.entries()]
    .map(([errorCode, records]) => ({
      errorCode,
      count: records.length,
      hint: operatorHint(errorCode),
      sampleRequestIds: [...new Set(records.map((record) => record.requestId).filter((id): id is string => id !== null))].slice(0, 3),
      sampleUsers: records.slice(0, 3).map((record) => record.upn),
    }))
    .sort((a, b) => b.count - a.count || a.errorCode.localeCompare(b.errorCode));
}
