import type { Config } from '../../config/configSchema.js';
import type { TapRecord, TargetMethod } from '../journey/journeyTypes.js';
import type { PostureProblem, SmsCalendar, TenantPosture } from '../posture/postureTypes.js';
import { smsCalendar } from '../posture/smsCalendar.js';
import type { RosterUser } from '../rosterUser.js';
import { createConversionTally, type WaveConversion } from './campaignConversion.js';
import { collectStragglers, type StragglerList } from './collectStragglers.js';
import { deadlineVerdict, type DeadlineVerdict } from './deadlineVerdict.js';
import { projectSmsOnly, type SmsOnlyProjection } from './projectSmsOnly.js';
import { collectOutOfScope, createUserPostureTally, usersAtRisk, type OutOfScopeList, type UserPostureCounts } from './userPostureTally.js';

/** One point of the SMS-only line: a night's count of users on SMS or voice only, and of all users at risk. */
export interface SmsOnlyPoint {
  /** UTC date (`YYYY-MM-DD`). */
  readonly date: string;
  readonly smsVoiceOnly: number;
  readonly atRisk: number;
}

/** The report's deadline section (`mfa-rollout report --json`: `deadline`). */
export interface DeadlineReport {
  /** Days left to each retirement date and the SMS mode in force, at the report's time. */
  readonly calendar: SmsCalendar;
  readonly targetMethod: TargetMethod;
  /** The methods posture the last night decided (null: none recorded yet). */
  readonly posture: { readonly decidedAt: string; readonly blocked: boolean; readonly problems: readonly PostureProblem[] } | null;
  /** Present users by posture, each in one bucket; `total` is their sum. */
  readonly users: UserPostureCounts;
  readonly projection: SmsOnlyProjection;
  /** The same verdict the night logs `deadline.atRisk` on. */
  readonly verdict: DeadlineVerdict;
  /** Nights the ramp needs to reach every ready user (the report's estimate), null while halted. */
  readonly rampNightsLeft: number | null;
  readonly conversion: readonly WaveConversion[];
  readonly stragglers: StragglerList;
  /** Users the settings leave out of the rollout (cloud-only with MFA_ALLOW_CLOUD_ONLY=false) with no strong method known, by name: not stragglers, not in the projection, blocked on the date. */
  readonly outOfScope: OutOfScopeList;
  /** The SMS-only line, oldest first: the nights' records, and today's count from this report's roster scan. */
  readonly smsOnlyByNight: readonly SmsOnlyPoint[];
}

export interface DeadlineCollector {
  add(user: RosterUser, tap: TapRecord | null): void;
  finish(recorded: {
    readonly posture: TenantPosture | null;
    /** The nights' counts (Posture table, `userPostures` of the night rows), oldest first. */
    readonly nights: readonly { readonly date: string; readonly counts: UserPostureCounts }[];
    readonly rampNightsLeft: number | null;
  }): DeadlineReport;
}

type DeadlineConfig = Pick<
  Config,
  | 'breakGlass' | 'exclusionGroupId' | 'excludeUpnPatterns' | 'campaignMode' | 'targetMethod' | 'smsDelivery' | 'smsRetirementDate' | 'smsRetirementDateAdmins'
  | 'passkeyNudgeDays' | 'deadlineWarningDays' | 'strategy' | 'perUserState' | 'caGroupId' | 'overwriteConflictingPhone' | 'maxAttempts'
  | 'campaignGroupId' | 'phishingResistantGroupId' | 'retirePhoneAfterPasskey' | 'phoneRetiredGroupId' | 'verifyAfterDays' | 'allowCloudOnly'
>;

/**
 * The deadline section of the report from one pass over the roster (pure; memory: the tallies' counters, one count
 * per wave and per registration day, and at most `listLimit` stragglers): users by posture, conversion per wave,
 * stragglers; then the projection and the verdict the night decides the same way.
 */
export function createDeadlineCollector(config: DeadlineConfig, now: Date, listLimit = 200): DeadlineCollector {
  const postures = createUserPostureTally(config);
  const conversion = createConversionTally(config, now);
  const stragglers = collectStragglers(config, now, listLimit);
  const outOfScope = collectOutOfScope(config, listLimit);
  return {
    add(user, tap) {
      postures.add(user);
      outOfScope.add(user);
      if (user.present) conversion.add(user.progress);
      stragglers.add(user, tap);
    },
    finish({ posture, nights, rampNightsLeft }) {
      const tally = postures.finish();
      const calendar = smsCalendar(config, now);
      const projection = projectSmsOnly({ tally, calendar, now });
      const today = now.toISOString().slice(0, 10);
      const point = (date: string, counts: UserPostureCounts): SmsOnlyPoint => ({ date, smsVoiceOnly: counts.smsVoiceOnly, atRisk: usersAtRisk(counts) });
      return {
        calendar,
        targetMethod: config.targetMethod,
        posture: posture === null ? null : { decidedAt: posture.decidedAt, blocked: posture.blocked, problems: posture.problems },
        users: tally.counts,
        projection,
        verdict: deadlineVerdict(projection, config.smsDelivery),
        rampNightsLeft,
        conversion: conversion.finish(),
        stragglers: stragglers.finish(),
        outOfScope: outOfScope.finish(),
        smsOnlyByNight: [...nights.filter((night) => night.date < today).map((night) => point(night.date, night.counts)), point(today, tally.counts)],
      };
    },
  };
}
