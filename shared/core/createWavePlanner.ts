import type { Config } from '../config/configSchema.js';
import { RolloutError } from '../errors/RolloutError.js';
import { announceCount, noticeStanding } from './awareness.js';
import { boundedHeap } from './boundedHeap.js';
import { createExclusionCheck, exclusionReasons } from './exclusions.js';
import { haltState } from './haltPolicy.js';
import { nightGraceMs } from './nightGrace.js';
import { projectEnforcementNights, type BacklogEntry } from './projectEnforcement.js';
import { notReadyReasons, probeDue, readiness } from './readiness.js';
import { createRingAssigner, ringNames, rolloutOrderKey } from './rings.js';
import type { MethodAvailability } from './journey/journeyTypes.js';
import type { DirectoryUser, RosterUser } from './rosterUser.js';
import type { WaveSummary } from './waveHistory.js';
import type { PlannedUser, RingPlan, WaitingReason, WavePlan } from './wavePlan.js';
import { waitingReasons } from './wavePlan.js';
import { nextWaveSize, pilotWaveSize, projectWaveSizes } from './waveSizing.js';

/**
 * Feeds the roster one user at a time; `finish` returns the plan (once). Memory: counters per ring plus bounded
 * heaps of at most maxWaveSize (pilot), the ramp size, the announce-ahead count and 5 × maxWaveSize (probes)
 * candidates. User ids are assumed unique (they are the roster table's row keys). Each user may come with an opaque
 * payload (the shell's roster row, with the ETag its next write needs), handed back unchanged on the user's PlannedUser.
 */
export interface WavePlanner<P = void> {
  add(user: RosterUser, payload: P): void;
  finish(): WavePlan<P>;
}

/** How many probe ids per wave seat the plan may ask for. */
export const probesPerSeat = 5;

const dayMs = 86_400_000;

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
  /** Announced with a date the notice gave. */
  readonly promised: boolean;
  /** Held by that date tonight (the notice period is over). */
  readonly heldByDate: boolean;
  /** The shell's payload for the user (its roster row), handed back on the PlannedUser. */
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

/** Counters of one ring's ready, not excluded, present users that could be planned. */
interface Pool {
  /** new + announced + failed */
  pending: number;
  inFlight: number;
  /** notice served (or not needed): may be enforced tonight */
  due: number;
  /** of `due`: announced with a date the notice gave (late if not enforced tonight) */
  duePromised: number;
  /** announced, notice period not over */
  awaitingNotice: number;
  /** announced, notice period over, but the notice gave a later date */
  promisedDate: number;
  /** new, to be announced (noticeDays > 0) */
  fresh: number;
  /** announced or failed: notice already given */
  outstanding: number;
}

interface RingTally {
  readonly name: string;
  readonly rank: number;
  users: number;
  /** The reasons decided user by user (gone, never planned again, excluded, not ready). */
  readonly waiting: Record<WaitingReason, number>;
  readonly pool: Pool;
  /** Announced users not due tonight, by the night (from tonight) they become enforceable. */
  readonly notDueByNight: Map<number, number>;
}

const noReasons = (): Record<WaitingReason, number> => Object.fromEntries(waitingReasons.map((reason) => [reason, 0])) as Record<WaitingReason, number>;

/**
 * The streaming wave planner (pure: the roster, the history, the config and `now` in, a plan out).
 * See `planWave` for the rules; this is the same planner, fed one user at a time so that 100,000 users never
 * sit in memory at once: only counters and bounded heaps of candidates (top-K by plan order).
 */
/** What the planner may know of the tenant tonight beyond the roster: what each user can do MFA with (the posture). */
export interface PlannerTenant {
  /** The methods policy and the calendar for one user (absent: every method assumed to work). */
  readonly availability?: (user: DirectoryUser) => MethodAvailability;
}

export function createWavePlanner<P = void>(history: readonly WaveSummary[], config: Config, now: Date, tenant: PlannerTenant = {}): WavePlanner<P> {
  const halt = haltState(history, config, now);
  const halted = halt.halted && !halt.autoResume;
  const rampSize = nextWaveSize(history, config, now);
  const rampAnnounceCap =
    config.noticeDays === 0 ? 0 : projectWaveSizes(rampSize, config.noticeDays + 1, config).reduce((sum, size) => sum + size, 0);

  const excluded = createExclusionCheck(config);
  const ringOf = createRingAssigner(config);
  const rings: RingTally[] = ringNames(config).map((name, rank) => ({
    name, rank, users: 0, waiting: noReasons(), notDueByNight: new Map(),
    pool: { pending: 0, inFlight: 0, due: 0, duePromised: 0, awaitingNotice: 0, promisedDate: 0, fresh: 0, outstanding: 0 },
  }));
  const pilotDue = boundedHeap<Candidate<P>>(config.maxWaveSize, comparePlanOrder);
  const rampDue = boundedHeap<Candidate<P>>(rampSize, comparePlanOrder);
  const pilotHeld = boundedHeap<Candidate<P>>(config.maxWaveSize, comparePlanOrder);
  const rampHeld = boundedHeap<Candidate<P>>(rampSize, comparePlanOrder);
  const pilotFresh = boundedHeap<Candidate<P>>(config.noticeDays === 0 ? 0 : config.maxWaveSize, comparePlanOrder);
  const rampFresh = boundedHeap<Candidate<P>>(rampAnnounceCap, comparePlanOrder);
  const probes = boundedHeap<Candidate<P>>(probesPerSeat * config.maxWaveSize, comparePlanOrder);
  let total = 0;
  let probeDueCount = 0;
  let finished = false;

  const add = (user: RosterUser, payload: P): void => {
    if (finished) throw new RolloutError('INTERNAL', 'createWavePlanner: add() after finish()');
    total++;
    const { directory, progress } = user;
    const ring = ringOf(directory);
    const tally = rings[ring.rank] as RingTally;
    tally.users++;
    if (!user.present) {
      tally.waiting.notPresent++;
      return;
    }
    const state = progress.state;
    // in the journey past its entry: the track planner attends them (advance, check), not the wave's entry; an entry
    // left half-way (a row that changed under the run after a step) is finished like a retry
    if ((state === 'active' || state === 'failed') && progress.journey.entryCompleteAt !== null) {
      tally.waiting[progress.journey.steps.enforceMfa === undefined ? 'awaitingTap' : 'enforced']++;
      return;
    }
    if (state === 'parked' || state === 'rolledBack') {
      tally.waiting[state]++;
      return;
    }
    const exclusion = excluded(directory);
    const ready = readiness(directory, config, tenant.availability?.(directory));
    if (state === 'inFlight') {
      tally.waiting.inFlight++;
      if (exclusion === null && ready.ready) tally.pool.inFlight++;
      return;
    }
    if (exclusion !== null) {
      tally.waiting[exclusion]++;
      return;
    }
    const standing = noticeStanding(progress, config, now);
    const candidate = (): Candidate<P> => ({
      id: directory.id,
      upn: directory.userPrincipalName,
      ring: ring.name,
      rank: ring.rank,
      key: rolloutOrderKey(config.rolloutId, directory.id),
      retry: state === 'failed' || state === 'active',
      attempts: state === 'failed' || state === 'active' ? progress.journey.attempts : 0,
      needsPhoneMethod: ready.ready && ready.needsPhoneMethod,
      noticed: state !== 'new',
      promised: progress.state === 'announced' && progress.enforceFrom !== undefined,
      heldByDate: standing === 'promisedDate',
      payload,
    });
    if (!ready.ready) {
      tally.waiting[ready.reason]++;
      if (probeDue(directory, ready, now)) {
        probeDueCount++;
        if (!halted) probes.offer(candidate());
      }
      return;
    }

    const isPilot = ring.rank === 0;
    const pool = tally.pool;
    pool.pending++;
    if (state !== 'new') pool.outstanding++;
    switch (standing) {
      case 'due': {
        pool.due++;
        const entry = candidate();
        if (entry.promised) pool.duePromised++;
        if (!halted) (isPilot ? pilotDue : rampDue).offer(entry);
        break;
      }
      case 'toAnnounce':
        pool.fresh++;
        if (!halted) (isPilot ? pilotFresh : rampFresh).offer(candidate());
        break;
      case 'awaitingNotice':
      case 'promisedDate': {
        pool[standing]++;
        if (standing === 'promisedDate' && !halted) (isPilot ? pilotHeld : rampHeld).offer(candidate());
        if (progress.state === 'announced') {
          const night = nightEnforceable(progress.announcedAt, progress.enforceFrom, config.noticeDays, now);
          if (night !== null) tally.notDueByNight.set(night, (tally.notDueByNight.get(night) ?? 0) + 1);
        }
        break;
      }
    }
  };

  const finish = (): WavePlan<P> => {
    if (finished) throw new RolloutError('INTERNAL', 'createWavePlanner: finish() called twice');
    finished = true;
    const pilot = rings[0]?.pool as Pool;
    const ramp = rings.slice(1).reduce((sum, tally) => addPools(sum, tally.pool), emptyPool());

    if (halted) {
      for (const tally of rings) tally.waiting.halted = tally.pool.pending;
      return {
        ...summarise(total, rings, [], []),
        status: 'halted',
        haltedWaveId: halt.waveId,
        haltedSince: halt.since,
        haltReason: halt.reason,
        pilot: false,
        targetSize: 0,
        enforce: [],
        announce: [],
        probe: [],
        probeDue: probeDueCount,
        promises: { heldTonight: 0, late: 0 },
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

    const plannedIn = countByRank(enforce, rings.length);
    const announcedIn = countByRank(announce, rings.length);
    for (const tally of rings) {
      const active = pilotPhase === (tally.rank === 0);
      const { pool, waiting } = tally;
      const plannedHere = plannedIn[tally.rank] ?? 0;
      const announcedHere = announcedIn[tally.rank] ?? 0;
      waiting.awaitingNotice = pool.awaitingNotice + announcedHere;
      waiting.promisedDate = pool.promisedDate;
      waiting.laterWave = pool.fresh - announcedHere + (active ? pool.due - plannedHere : 0);
      waiting.pilotFirst = active ? 0 : pool.due;
    }

    const enforceFrom = announceDates(announce, rings, { pilotPhase, rampSize, rampEnforcedTonight: pilotPhase ? 0 : enforce.length, plannedIn, pilotUnannounced: pilot.fresh - pilotAnnounce.length }, config, now);
    const late = pilot.duePromised + ramp.duePromised - enforce.filter((candidate) => candidate.promised).length;
    const seats = [...(pilotPhase ? pilotDue : rampDue).sorted(), ...(pilotPhase ? pilotHeld : rampHeld).sorted()].sort(comparePlanOrder).slice(0, targetSize);

    return {
      ...summarise(total, rings, enforce, announce),
      status: enforce.length + announce.length + probe.length === 0 ? 'nothingToDo' : 'plan',
      ...(halt.halted ? { autoResumeOf: halt.waveId } : {}),
      pilot: pilotPhase,
      targetSize,
      enforce: enforce.map(planned),
      announce: announce.map((candidate, index) => ({ ...planned({ ...candidate, retry: false, attempts: 0 }), ...(enforceFrom[index] === undefined ? {} : { enforceFrom: enforceFrom[index] }) })),
      probe,
      probeDue: probeDueCount,
      promises: { heldTonight: seats.filter((candidate) => candidate.heldByDate).length, late },
    };
  };

  return { add, finish };
}

function emptyPool(): Pool {
  return { pending: 0, inFlight: 0, due: 0, duePromised: 0, awaitingNotice: 0, promisedDate: 0, fresh: 0, outstanding: 0 };
}

function addPools(a: Pool, b: Pool): Pool {
  const sum = emptyPool();
  for (const key of Object.keys(sum) as (keyof Pool)[]) sum[key] = a[key] + b[key];
  return sum;
}

function countByRank<P>(candidates: readonly Candidate<P>[], ranks: number): number[] {
  const counts = new Array<number>(ranks).fill(0);
  for (const candidate of candidates) counts[candidate.rank] = (counts[candidate.rank] ?? 0) + 1;
  return counts;
}

/**
 * The first night (1 = tomorrow) on which an announced user not due tonight becomes enforceable: both the notice
 * period (`announcedAt` + `noticeDays`, as configured tonight) and the date the notice gave must have come, as the
 * planner checks them (within `nightGraceMs`). Null for an unreadable time: such a user is never enforceable.
 */
function nightEnforceable(announcedAt: string, enforceFrom: string | undefined, noticeDays: number, now: Date): number | null {
  const from = Math.max(Date.parse(announcedAt) + noticeDays * dayMs, enforceFrom === undefined ? -Infinity : Date.parse(enforceFrom));
  if (Number.isNaN(from)) return null;
  return Math.max(1, Math.ceil((from - now.getTime() - nightGraceMs) / dayMs));
}

/** The date each user announced tonight is told (ISO), in the order of `announce`: the projected night of their wave. */
function announceDates(
  announce: readonly Candidate<unknown>[],
  rings: readonly RingTally[],
  tonight: { pilotPhase: boolean; rampSize: number; rampEnforcedTonight: number; plannedIn: readonly number[]; pilotUnannounced: number },
  config: Config,
  now: Date,
): string[] {
  if (announce.length === 0) return [];
  const backlog: BacklogEntry[] = [];
  for (const tally of rings) {
    const active = tonight.pilotPhase === (tally.rank === 0);
    // due tonight but no seat (or held for the pilot): enforceable tomorrow
    const dueLeft = tally.pool.due - (active ? (tonight.plannedIn[tally.rank] ?? 0) : 0);
    if (dueLeft > 0) backlog.push({ rank: tally.rank, night: 1, users: dueLeft });
    for (const [night, users] of tally.notDueByNight) backlog.push({ rank: tally.rank, night, users });
  }
  const announced: { rank: number; users: number }[] = [];
  for (const candidate of announce) {
    const last = announced.at(-1);
    if (last !== undefined && last.rank === candidate.rank) last.users++;
    else announced.push({ rank: candidate.rank, users: 1 });
  }
  const nights = projectEnforcementNights(
    { pilotPhase: tonight.pilotPhase, rampSize: tonight.rampSize, rampEnforcedTonight: tonight.rampEnforcedTonight, backlog, pilotUnannounced: tonight.pilotUnannounced, announced },
    config,
  );
  return nights.map((night) => new Date(now.getTime() + Math.max(night, config.noticeDays) * dayMs).toISOString());
}

function summarise<P>(total: number, rings: readonly RingTally[], enforce: readonly Candidate<P>[], announce: readonly Candidate<P>[]): Pick<WavePlan<P>, 'waiting' | 'total' | 'excluded' | 'notReady' | 'rings'> {
  const waiting = noReasons();
  for (const tally of rings) for (const reason of waitingReasons) waiting[reason] += tally.waiting[reason];
  const sum = (reasons: readonly WaitingReason[]): number => reasons.reduce((count, reason) => count + waiting[reason], 0);
  const plannedIn = countByRank(enforce, rings.length);
  const announcedIn = countByRank(announce, rings.length);
  return {
    waiting: Object.freeze(waiting),
    total,
    excluded: sum(exclusionReasons),
    notReady: sum(notReadyReasons),
    rings: rings.map((tally): RingPlan => ({
      ring: tally.name,
      rank: tally.rank,
      users: tally.users,
      planned: plannedIn[tally.rank] ?? 0,
      announced: announcedIn[tally.rank] ?? 0,
      waiting: Object.fromEntries(waitingReasons.filter((reason) => tally.waiting[reason] > 0).map((reason) => [reason, tally.waiting[reason]])),
    })),
  };
}
