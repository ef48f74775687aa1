import type { WaveSummary } from '../core/waveHistory.js';
import { utcDate } from './rosterFacts.js';

/** One night (UTC date) of the rollout, for the chart and its table. */
export interface NightProgress {
  readonly date: string;
  /** What the night's records say: the status of its enforce wave, `held`, `resume`, `rollback`, or `none` (no record: nothing to do, or no run). */
  readonly outcome: string;
  readonly waveIds: readonly string[];
  /** Users enforced that night who are still enforced (from the roster, so rolled-back users no longer count). */
  readonly enforced: number;
  /** Failed users in that night's enforce waves. */
  readonly failed: number;
  /** Users enforced by the end of that night (still enforced now). */
  readonly cumulativeEnforced: number;
  /** Of those, users verified registered by the end of that night. */
  readonly cumulativeRegistered: number;
}

const dayMs = 86_400_000;

/**
 * Progress night by night (pure), every calendar date from the first record (a wave, or a user enforced) to
 * `until`, the most recent `maxNights` of them; cumulative counts include everything before the first date shown.
 */
export function progressByNight(input: {
  readonly history: readonly WaveSummary[];
  readonly enforcedOn: Readonly<Record<string, number>>;
  readonly registeredOn: Readonly<Record<string, number>>;
  readonly until: Date;
  readonly maxNights?: number;
}): NightProgress[] {
  const byDate = new Map<string, WaveSummary[]>();
  for (const wave of input.history) {
    if (Number.isNaN(Date.parse(wave.startedAt))) continue;
    const date = utcDate(wave.startedAt);
    byDate.set(date, [...(byDate.get(date) ?? []), wave]);
  }
  const dates = [...byDate.keys(), ...Object.keys(input.enforcedOn), ...Object.keys(input.registeredOn)].sort();
  const first = dates[0];
  if (first === undefined) return [];
  const last = [utcDate(input.until), dates.at(-1) ?? first].sort().at(-1) ?? first;

  const nights: NightProgress[] = [];
  let cumulativeEnforced = 0;
  let cumulativeRegistered = 0;
  for (let time = Date.parse(`${first}T00:00:00Z`); time <= Date.parse(`${last}T00:00:00Z`); time += dayMs) {
    const date = utcDate(new Date(time));
    const waves = byDate.get(date) ?? [];
    const enforced = input.enforcedOn[date] ?? 0;
    cumulativeEnforced += enforced;
    cumulativeRegistered += input.registeredOn[date] ?? 0;
    nights.push({
      date,
      outcome: outcomeOf(waves),
      waveIds: waves.map((wave) => wave.waveId),
      enforced,
      failed: waves.filter((wave) => wave.kind === 'enforce').reduce((sum, wave) => sum + wave.failed, 0),
      cumulativeEnforced,
      cumulativeRegistered,
    });
  }
  return nights.slice(-Math.max(1, input.maxNights ?? 90));
}

function outcomeOf(waves: readonly WaveSummary[]): string {
  const enforce = waves.filter((wave) => wave.kind === 'enforce').at(-1);
  if (enforce !== undefined) return enforce.status;
  return waves.at(-1)?.kind ?? 'none';
}
