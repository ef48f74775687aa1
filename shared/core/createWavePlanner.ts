import type { Config } from '../config/configSchema.js';
import { RolloutError } from '../errors/RolloutError.js';
import { announceCount, noticeServed } from './awareness.js';
import { boundedHeap } from './boundedHeap.js';
import { createExclusionCheck, exclusionReasons } from './exclusions.js';
import { haltState } from './haltPolicy.js';
import { notReadyReasons, probeDue, readiness } from './readiness.js';
import { createRingAssigner, rolloutOrderKey } from './rings.js';
import type { RosterUser } from './rosterUser.js';
import type { WaveSummary } from './waveHistory.js';
import type { PlannedUser, WaitingReason, WavePlan } from './wavePlan.js';
import { waitingReasons } from './wavePlan.js';
import { nextWaveSize, pilotWaveSize, projectWaveSizes } from './waveSizing.js';

/**
 * Feeds the roster one user at a time; `finish` returns the plan (once). Memory: counters plus bounded heaps of
 * at most maxWaveSize (pilot), the ramp size, the announce-ahead count and 5 × maxWaveSize (probes) candidates.
 * User ids are assumed unique (they are the roster table's row keys). Each user may come with an opaque payload
 * (the shell's roster row, with the ETag its next write needs), handed back unchanged on the user's PlannedUser.
 */
export interface WavePlanner<P = void> {
  add(user: RosterUser, payload: P): void;
  finish(): WavePlan<P>;
}

/** How many probe ids per wave seat the plan may ask for. */
export const probesPerSeat = 5;

interface Candidate<P> {
  readonly id: string;
  readonly upn: string;
  readonly ring: string;
  readonly rank: number;
  readonly key: number;
  readonly retry: boolean;
  readonly attempts: number;
  readonly needsPhoneMethod: boolean;
  /** Announced or failed before tonight: counts as outstanding notice. */
  readonly noticed: boolean;
  readonly payload: P;
}

/** Plan order: ring, then retries first in their ring, then the stable hash, then the id. */
function comparePlanOrder<P>(a: Candidate<P>, b: Candidate<P>): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.retry !== b.retry) return a.retry ? -1 : 1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function planned<P>(candidate: Candidate<P>): PlannedUser<P> {
  return {
    id: candidate.id,
    upn: candidate.upn,
    ring: candidate.ring,
    needsPhoneMethod: candidate.needsPhoneMethod,
    retry: candidate.retry,
    attempts: candidate.attempts,
    payload: candidate.payload,
  };
}

/** Counters of ready, not excluded, present users that could be planned, per pool (pilot or the ramp). */
interface Pool {
  /** new + announced + failed */
  pending: number;
  inFlight: number;
  /** notice served (or not needed): may be enforced tonight */
  due: number;
  /** announced, notice not served yet */
  notDue: number;
  /** new, to be announced (noticeDays > 0) */
  fresh: number;
  /** announced or failed: notice already given */
  outstanding: number;
}

const emptyPool = (): Pool => ({ pending: 0, inFlight: 0, due: 0, notDue: 0, fresh: 0, outstanding: 0 });

/**
 * The streaming wave planner (pure: the roster, the history, the config and `now` in, a plan out).
 * See `planWave` for the rules; this is the same planner, fed one user at a time so that 100,000 users never
 * sit in memory at once: only counters and bounded heaps of candidates (top-K by plan order).
 */
export function createWavePlanner<P = void>(history: readonly WaveSummary[], config: Config, now: Date): WavePlanner<P> {
  const halt = haltState(history, config, now);
  const halted = halt.halted && !halt.autoResume;
  const rampSize = nextWaveSize(history, config, now);
  const rampAnnounceCap =
    config.noticeDays === 0 ? 0 : projectWaveSizes(rampSize, config.noticeDays + 1, config).reduce((sum, size) => sum + size, 0);

  const excluded = createExclusionCheck(config);
  const ringOf = createRingAssigner(config);
  const waiting = Object.fromEntries(waitingReasons.map((reason) => [reason, 0])) as Record<WaitingReason, number>;
  const pilot = emptyPool();
  const ramp = emptyPool();
  const pilotDue = boundedHeap<Candidate<P>>(config.maxWaveSize, comparePlanOrder);
  const rampDue = boundedHeap<Candidate<P>>(rampSize, comparePlanOrder);
  const pilotFresh = boundedHeap<Candidate<P>>(config.noticeDays === 0 ? 0 : config.maxWaveSize, comparePlanOrder);
  const rampFresh = boundedHeap<Candidate<P>>(rampAnnounceCap, comparePlanOrder);
  const probes = boundedHeap<Candidate<P>>(probesPerSeat * config.maxWaveSize, comparePlanOrder);
  let total = 0;
  let finished = false;

  const add = (user: RosterUser, payload: P): void => {
    if (finished) throw new RolloutError('INTERNAL', 'createWavePlanner: add() after finish()');
    total++;
    if (!user.present) {
      waiting.notPresent++;
      return;
    }
    const { directory, progress } = user;
    const state = progress.state;
    if (state === 'enforced' || state === 'parked' || state === 'rolledBack') {
      waiting[state]++;
      return;
    }
    const exclusion = excluded(directory);
    const ready = readiness(directory, config);
    if (state === 'inFlight') {
      waiting.inFlight++;
      if (exclusion === null && ready.ready) (ringOf(directory).rank === 0 ? pilot : ramp).inFlight++;
      return;
    }
    if (exclusion !== null) {
      waiting[exclusion]++;
      return;
    }
    const ring = ringOf(directory);
    const candidate = (): Candidate<P> => ({
      id: directory.id,
      upn: directory.userPrincipalName,
      ring: ring.name,
      rank: ring.rank,
      key: rolloutOrderKey(config.rolloutId, directory.id),
      retry: state === 'failed',
      attempts: state === 'failed' ? progress.attempts : 0,
      needsPhoneMethod: ready.ready && ready.needsPhoneMethod,
      noticed: state !== 'new',
      payload,
    });
    if (!ready.ready) {
      waiting[ready.reason]++;
      if (!halted && probeDue(directory, ready, now)) probes.offer(candidate());
      return;
    }

    const isPilot = ring.rank === 0;
    const pool = isPilot ? pilot : ramp;
    pool.pending++;
    if (state !== 'new') pool.outstanding++;
    if (noticeServed(progress, config, now)) {
      pool.due++;
      if (!halted) (isPilot ? pilotDue : rampDue).offer(candidate());
    } else if (state === 'announced') {
      pool.notDue++;
    } else {
      pool.fresh++;
      if (!halted) (isPilot ? pilotFresh : rampFresh).offer(candidate());
    }
  };

  const finish = (): WavePlan<P> => {
    if (finished) throw new RolloutError('INTERNAL', 'createWavePlanner: finish() called twice');
    finished = true;
    const counts = { total, waiting };

    if (halted) {
      waiting.halted = pilot.pending + ramp.pending;
      return {
        ...summarise(counts),
        status: 'halted',
        haltedWaveId: halt.waveId,
        haltedSince: halt.since,
        haltReason: halt.reason,
        pilot: false,
        targetSize: 0,
        enforce: [],
        announce: [],
        probe: [],
      };
    }

    const pilotPhase = pilot.pending + pilot.inFlight > 0;
    const targetSize = pilotPhase ? pilotWaveSize(pilot.pending, config) : rampSize;
    const enforce = (pilotPhase ? pilotDue : rampDue).sorted().slice(0, targetSize);
    const enforcedNoticed = enforce.filter((candidate) => candidate.noticed).length;

    const pilotAnnounce = pilotFresh.sorted().slice(0, Math.max(0, config.maxWaveSize - (pilot.outstanding - (pilotPhase ? enforcedNoticed : 0))));
    const rampAnnounce = rampFresh.sorted().slice(
      0,
      announceCount(
        {
          currentSize: rampSize,
          enforcesTonight: !pilotPhase && enforce.length > 0,
          outstanding: ramp.outstanding - (pilotPhase ? 0 : enforcedNoticed),
        },
        config,
      ),
    );
    const announce = [...pilotAnnounce, ...rampAnnounce];
    const probe = probes.sorted().slice(0, probesPerSeat * targetSize).map((candidate) => candidate.id);

    waiting.awaitingNotice = pilot.notDue + ramp.notDue + announce.length;
    waiting.laterWave = pilot.fresh + ramp.fresh - announce.length;
    if (pilotPhase) {
      waiting.laterWave += pilot.due - enforce.length;
      waiting.pilotFirst = ramp.due;
    } else {
      waiting.laterWave += ramp.due - enforce.length;
    }

    return {
      ...summarise(counts),
      status: enforce.length + announce.length + probe.length === 0 ? 'nothingToDo' : 'plan',
      ...(halt.halted ? { autoResumeOf: halt.waveId } : {}),
      pilot: pilotPhase,
      targetSize,
      enforce: enforce.map(planned),
      announce: announce.map((candidate) => planned({ ...candidate, retry: false, attempts: 0 })),
      probe,
    };
  };

  return { add, finish };
}

function summarise(counts: { total: number; waiting: Record<WaitingReason, number> }): Pick<WavePlan, 'waiting' | 'total' | 'excluded' | 'notReady'> {
  const sum = (reasons: readonly WaitingReason[]): number => reasons.reduce((total, reason) => total + counts.waiting[reason], 0);
  return {
    waiting: Object.freeze({ ...counts.waiting }),
    total: counts.total,
    excluded: sum(exclusionReasons),
    notReady: sum(notReadyReasons),
  };
}
