import type { Config } from '../../config/configSchema.js';
import type { Journey, JourneyProgress } from '../journey/journeyTypes.js';

/** The nudge windows the conversion is measured over, in days. */
export const conversionWindowDays = [7, 14] as const;

/** One window of a wave's conversion. */
export interface ConversionWindow {
  readonly days: (typeof conversionWindowDays)[number];
  /** Every nudge of the wave is at least `days` old: the figure is final. Otherwise the report says "not yet". */
  readonly complete: boolean;
  /** Nudged users (not registered before) seen with the target method within `days` of their nudge, so far. */
  readonly registered: number;
  /** `registered` / `nudged - hadBefore`, rounded to 0.001; null while not complete or when nobody counts. */
  readonly share: number | null;
}

/** The campaign conversion of one wave that nudged users. */
export interface WaveConversion {
  readonly waveId: string;
  /** The wave's first and last nudge (ISO). */
  readonly firstNudgeAt: string;
  readonly lastNudgeAt: string;
  /** Users the wave nudged (present in the roster now). */
  readonly nudged: number;
  /** Of them, users who had the target method before the journey: counted apart, never as a conversion. */
  readonly hadBefore: number;
  /** Of the others, users seen with the target method so far (any time after the nudge). */
  readonly registered: number;
  readonly windows: readonly ConversionWindow[];
}

export interface ConversionTally {
  add(progress: JourneyProgress): void;
  finish(): WaveConversion[];
}

interface WaveTotals {
  first: number;
  last: number;
  nudged: number;
  hadBefore: number;
  registered: number;
  within: number[];
}

const dayMs = 86_400_000;

/**
 * The nudge of a journey: the wave and time of its `joinCampaign` step; in microsoftManaged campaign mode (the
 * rollout writes no campaign group, Microsoft's campaign nudges everyone) the wave the user entered in, when the
 * entry was over. Null: not nudged (yet).
 */
export function nudgeOf(journey: Journey, campaignMode: Config['campaignMode']): { readonly waveId: string; readonly at: string } | null {
  const step = journey.steps.joinCampaign;
  if (step !== undefined) return { waveId: step.waveId, at: step.at };
  if (campaignMode === 'microsoftManaged' && journey.entryCompleteAt !== null) return { waveId: journey.enteredWaveId, at: journey.entryCompleteAt };
  return null;
}

/**
 * Campaign conversion per wave (pure; memory: one counter set per wave that nudged). A user counts for the wave
 * that nudged them (`nudgeOf`); a registration the user had before the journey (`hadBefore`) is counted apart; a
 * registration counts within N days when the rollout saw it (`seenAt`) no later than N days after the nudge. A
 * window is complete once the wave's last nudge is N days old at `now`; before that the report says "not yet".
 */
export function createConversionTally(config: Pick<Config, 'campaignMode'>, now: Date): ConversionTally {
  const waves = new Map<string, WaveTotals>();
  return {
    add(progress) {
      if (progress.state === 'new' || progress.state === 'announced') return;
      const { journey } = progress;
      const nudge = nudgeOf(journey, config.campaignMode);
      if (nudge === null) return;
      const at = Date.parse(nudge.at);
      if (Number.isNaN(at)) return;
      const totals = waves.get(nudge.waveId) ?? { first: at, last: at, nudged: 0, hadBefore: 0, registered: 0, within: conversionWindowDays.map(() => 0) };
      waves.set(nudge.waveId, totals);
      totals.first = Math.min(totals.first, at);
      totals.last = Math.max(totals.last, at);
      totals.nudged += 1;
      const registration = journey.registration;
      if (registration === null) return;
      if (registration.hadBefore) {
        totals.hadBefore += 1;
        return;
      }
      totals.registered += 1;
      const seen = Date.parse(registration.seenAt);
      conversionWindowDays.forEach((days, index) => {
        if (!Number.isNaN(seen) && seen - at <= days * dayMs) totals.within[index] = (totals.within[index] ?? 0) + 1;
      });
    },
    finish() {
      return [...waves.entries()]
        .sort(([a, x], [b, y]) => x.first - y.first || (a < b ? -1 : a > b ? 1 : 0))
        .map(([waveId, totals]) => {
          const counted = totals.nudged - totals.hadBefore;
          return {
            waveId,
            firstNudgeAt: new Date(totals.first).toISOString(),
            lastNudgeAt: new Date(totals.last).toISOString(),
            nudged: totals.nudged,
            hadBefore: totals.hadBefore,
            registered: totals.registered,
            windows: conversionWindowDays.map((days, index) => {
              const complete = now.getTime() - totals.last >= days * dayMs;
              const registered = totals.within[index] ?? 0;
              return { days, complete, registered, share: complete && counted > 0 ? Math.round((registered / counted) * 1000) / 1000 : null };
            }),
          };
        });
    },
  };
}
