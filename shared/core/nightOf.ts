import type { Config } from '../config/configSchema.js';

const minuteMs = 60_000;
const dayMinutes = 24 * 60;

/**
 * The time of day (minutes after 00:00 UTC) the nightly wave is scheduled at, read from MFA_WAVE_SCHEDULE when it
 * names one minute and one hour (`0 0 1 * * *` is 60); midnight UTC otherwise (a schedule with ranges, lists or steps).
 */
export function scheduledMinuteOfDay(schedule: string): number {
  const [, minute, hour] = schedule.trim().split(/\s+/);
  const whole = (field: string | undefined, max: number) => (field !== undefined && /^\d{1,2}$/.test(field) && Number(field) <= max ? Number(field) : null);
  const m = whole(minute, 59);
  const h = whole(hour, 23);
  return m === null || h === null ? 0 : h * 60 + m;
}

/**
 * The night an instant belongs to, as `YYYY-MM-DD`: the UTC date of the scheduled run whose 24-hour period holds
 * the instant, the period running from 12 hours before the scheduled time of day to 12 hours after it. With the
 * default schedule (01:00 UTC) the night of 2026-11-25 runs from 13:00 UTC on the 24th to 13:00 UTC on the 25th:
 * a timer that fires late, a run started by hand in the evening before or the morning after, all count for the
 * same night, and two scheduled runs never do. A schedule that is not one time of day is taken as midnight UTC:
 * nights then run noon to noon UTC. The schedule is read as UTC (the Flex Consumption plan ignores
 * WEBSITE_TIME_ZONE). Null for an unreadable instant.
 */
export function nightOf(instant: Date | string, config: Pick<Config, 'waveSchedule'>): string | null {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) return null;
  const shift = (dayMinutes / 2 - scheduledMinuteOfDay(config.waveSchedule)) * minuteMs;
  return new Date(ms + shift).toISOString().slice(0, 10);
}
