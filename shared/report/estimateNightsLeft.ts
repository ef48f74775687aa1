import type { Config } from '../config/configSchema.js';
import type { WaveSummary } from '../core/waveHistory.js';
import type { WavePlan } from '../core/wavePlan.js';
import { nextWaveSize, projectWaveSizes } from '../core/waveSizing.js';
import { utcDate } from './rosterFacts.js';

export interface NightsLeftEstimate {
  /** Users ready and not yet enforced (tonight's wave, those in their notice period or waiting for their turn, in flight). */
  readonly remaining: number;
  /** Nights until they are all enforced if every wave from tonight on is clean; null while the rollout is halted. */
  readonly nights: number | null;
  /** UTC date of the last of those nights (null when `nights` is null or 0): the first is today, or tomorrow when today's night already has a record. */
  readonly lastNight: string | null;
  /** The projected ramp wave sizes (first few), as the planner would choose them after clean waves. */
  readonly waveSizes: readonly number[];
  /** Nights added for the pilot wave, and for the notice period before the very first enforcement. */
  readonly extraNights: { readonly pilot: number; readonly notice: number };
  /** The observed pace: users enforced per night over the last nights with a wave (null before the first one). */
  readonly recentPace: { readonly nights: number; readonly enforced: number; readonly perNight: number; readonly nightsLeft: number | null } | null;
  readonly halted: boolean;
  /** How it was computed, in one paragraph, for the report. */
  readonly method: string;
}

type SizingConfig = Pick<Config, 'waveSize' | 'waveGrowth' | 'maxWaveSize' | 'warnFailureRate' | 'noticeDays' | 'waveSchedule'>;

const dayMs = 86_400_000;
/** Nights the observed pace looks back over. */
export const paceWindowNights = 7;

/**
 * How many nights the rollout still needs (pure). Two figures:
 *
 * 1. The ramp-up projection. The next ramp wave has the size the planner would give it tonight
 *    (`nextWaveSize`: MFA_WAVE_SIZE at first, grown by MFA_WAVE_GROWTH after each clean wave, capped at
 *    MFA_MAX_WAVE_SIZE); the following waves grow as if every one were clean (`projectWaveSizes`). The estimate is
 *    the number of such waves whose sizes add up to the users still to enforce, plus one night while the pilot
 *    wave is still to run, plus MFA_NOTICE_DAYS while nobody has been announced yet (afterwards the planner
 *    announces users MFA_NOTICE_DAYS ahead of the waves, so the notice period no longer delays them). It is a lower
 *    bound: a wave above MFA_WARN_FAILURE_RATE, stopped by the time budget or halted does not grow, and users who
 *    become ready later add to it. The nights are counted from today's run, or from tomorrow's when today's
 *    already left a record.
 * 2. The recent pace: users enforced over the last `paceWindowNights` nights (or since the first wave, if that is
 *    more recent), divided by those nights, and the remaining users at that pace.
 */
export function estimateNightsLeft(input: {
  readonly remaining: number;
  readonly plan: Pick<WavePlan, 'status' | 'pilot' | 'targetSize'>;
  readonly history: readonly WaveSummary[];
  readonly config: SizingConfig;
  readonly now: Date;
}): NightsLeftEstimate {
  const { remaining, plan, history, config, now } = input;
  const halted = plan.status === 'halted';
  const recentPace = observedPace(history, remaining);
  const firstRamp = nextWaveSize(history, config);
  const method =
    `Ramp-up projection: the next wave enforces ${firstRamp} user(s) (MFA_WAVE_SIZE ${config.waveSize}, ×${config.waveGrowth} after each clean wave, at most MFA_MAX_WAVE_SIZE ${config.maxWaveSize}); ` +
    'the nights left are the waves, each grown as if the one before was clean, whose sizes add up to the users ready and not yet enforced, ' +
    'plus one night for the pilot wave while it is still to run, plus MFA_NOTICE_DAYS while nobody has been announced yet (after that, users are announced that far ahead of their wave). ' +
    'A lower bound: a wave above MFA_WARN_FAILURE_RATE, stopped or halted does not grow, and users who become ready later add to it. ' +
    `The recent pace divides the users enforced over the last ${paceWindowNights} nights (or since the first wave) by those nights.`;
  const base = { remaining, halted, recentPace, method };
  if (remaining === 0) return { ...base, nights: 0, lastNight: null, waveSizes: [], extraNights: { pilot: 0, notice: 0 } };
  if (halted) return { ...base, nights: null, lastNight: null, waveSizes: [], extraNights: { pilot: 0, notice: 0 } };

  const pilotNights = plan.pilot ? 1 : 0;
  const announcedBefore = history.some((wave) => wave.kind === 'enforce' && (wave.announced > 0 || wave.enforced > 0));
  const noticeNights = !announcedBefore && config.noticeDays > 0 ? config.noticeDays : 0;
  const rampRemaining = Math.max(0, remaining - (plan.pilot ? plan.targetSize : 0));
  // every wave enforces at least one user, so `rampRemaining` waves always suffice
  const sizes = rampRemaining === 0 ? [] : projectWaveSizes(firstRamp, rampRemaining, config);
  let rampNights = 0;
  for (let covered = 0; covered < rampRemaining; rampNights += 1) covered += sizes[rampNights] ?? 1;
  const nights = pilotNights + noticeNights + rampNights;
  const ranToday = history.some((wave) => !Number.isNaN(Date.parse(wave.startedAt)) && utcDate(wave.startedAt) === utcDate(now));
  return {
    ...base,
    nights,
    lastNight: utcDate(new Date(now.getTime() + (nights - (ranToday ? 0 : 1)) * dayMs)),
    waveSizes: sizes.slice(0, Math.min(rampNights, 8)),
    extraNights: { pilot: pilotNights, notice: noticeNights },
  };
}

function observedPace(history: readonly WaveSummary[], remaining: number): NightsLeftEstimate['recentPace'] {
  const enforceWaves = history.filter((wave) => wave.kind === 'enforce' && !Number.isNaN(Date.parse(wave.startedAt)));
  if (enforceWaves.length === 0) return null;
  const latest = Math.max(...history.map((wave) => Date.parse(wave.startedAt)).filter((time) => !Number.isNaN(time)));
  const first = Math.min(...enforceWaves.map((wave) => Date.parse(wave.startedAt)));
  const latestDay = Math.floor(latest / dayMs);
  const nights = Math.min(paceWindowNights, latestDay - Math.floor(first / dayMs) + 1);
  const fromDay = latestDay - nights + 1;
  const enforced = enforceWaves.filter((wave) => Math.floor(Date.parse(wave.startedAt) / dayMs) >= fromDay).reduce((sum, wave) => sum + wave.enforced, 0);
  const perNight = Math.round((enforced / nights) * 10) / 10;
  return { nights, enforced, perNight, nightsLeft: enforced === 0 ? null : Math.ceil((remaining * nights) / enforced) };
}
