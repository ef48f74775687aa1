import type { Config } from '../config/configSchema.js';
import { nightOf, scheduledMinuteOfDay } from './nightOf.js';

const minuteMs = 60_000;

/** A timer tick this early still counts as at the scheduled time (a timer at 01:00 may fire at 00:59:59.9). */
const earlyTickMs = minuteMs;

type WindowConfig = Pick<Config, 'waveSchedule' | 'startWindowMinutes'>;

/**
 * When one tenant's night may start: from its scheduled time (its own MFA_WAVE_SCHEDULE's time of day, UTC, on the
 * night's date) for MFA_START_WINDOW_MINUTES. `night` is `YYYY-MM-DD` as `nightOf` names it.
 */
export function tenantNightWindow(night: string, config: WindowConfig): { readonly start: Date; readonly end: Date } {
  const start = Date.parse(`${night}T00:00:00Z`) + scheduledMinuteOfDay(config.waveSchedule) * minuteMs;
  return { start: new Date(start), end: new Date(start + config.startWindowMinutes * minuteMs) };
}

/** What the registry knows of a tenant when the timer fans out; `config` is null when its settings do not validate. */
export interface FanOutCandidate {
  readonly tenantId: string;
  readonly enabled: boolean;
  readonly lastEnqueuedNight: string | null;
  readonly config: WindowConfig | null;
}

export type FanOutVerdict = 'due' | 'notYet' | 'windowClosed' | 'alreadyEnqueued' | 'disabled' | 'settingsInvalid';

export interface FanOutDecision {
  readonly tenantId: string;
  /** The tenant's night at `now` (its own schedule decides it); null when its settings do not validate. */
  readonly night: string | null;
  readonly verdict: FanOutVerdict;
}

/**
 * Whether the timer enqueues this tenant now: enabled, valid settings, inside its start window tonight, and not yet
 * enqueued for tonight (so a timer that fires every hour enqueues each tenant once a night, at its first tick inside
 * the window). A tenant whose window closed before any tick is not enqueued: its night is missed, not run by day.
 */
export function decideFanOut(candidate: FanOutCandidate, now: Date): FanOutDecision {
  const { tenantId } = candidate;
  if (!candidate.enabled) return { tenantId, night: null, verdict: 'disabled' };
  if (candidate.config === null) return { tenantId, night: null, verdict: 'settingsInvalid' };
  const night = nightOf(now, candidate.config) ?? '';
  const window = tenantNightWindow(night, candidate.config);
  const verdict: FanOutVerdict = candidate.lastEnqueuedNight === night ? 'alreadyEnqueued'
    : now.getTime() + earlyTickMs < window.start.getTime() ? 'notYet'
    : now >= window.end ? 'windowClosed'
    : 'due';
  return { tenantId, night, verdict };
}

export type MessageTiming = 'tonight' | 'late' | 'notTonight';

/**
 * Whether a queued night may run now: `tonight` while the message's night is the tenant's night at `now` and its
 * start window is open; `late` once the window closed (a message that waited in the queue, or was redelivered, past
 * it); `notTonight` for a message naming another night than tonight's.
 */
export function messageTiming(night: string, config: WindowConfig, now: Date): MessageTiming {
  if (nightOf(now, config) !== night) return night < (nightOf(now, config) ?? '') ? 'late' : 'notTonight';
  return now >= tenantNightWindow(night, config).end ? 'late' : 'tonight';
}
