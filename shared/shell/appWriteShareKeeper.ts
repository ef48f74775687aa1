import { randomUUID } from 'node:crypto';
import type { AppWritersTable } from '../adapters/tables/appWritersTable.js';
import type { WriteShareSource } from '../adapters/graph/writePacer.js';
import { countWriters, joinCannotOvershoot, shareCadence, writeShareOf, type AppWriteLimit, type WriteShare } from '../core/appWriteShare.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';

export interface AppWriteShareKeeper extends WriteShareSource {
  /** Stops renewing and withdraws the announcement (a night's end). */
  stop(): Promise<void>;
}

export interface AppWriteShareOptions {
  readonly writers: AppWritersTable;
  /** The tenant (rollout id) this night writes to; the writer's id adds a GUID, unique per night. */
  readonly rolloutId: string;
  readonly limit: AppWriteLimit;
  /** Share of the limit planned (the write pacer's margin). */
  readonly margin: number;
  /**
   * The most this night writes a second whatever its part (its tenant's MFA_GRAPH_WRITES_PER_SECOND × the margin),
   * announced with it: when the paces of every writer add up to no more than the limit, a joining night need not wait.
   */
  readonly pacePerSecond?: number;
  readonly logger: Logger;
  /** Wall-clock ms (the register is shared by processes: never a night's simulated clock). */
  readonly now?: () => number;
}

/**
 * Keeps a many-tenants night's part of Graph's app-wide write limit up to date: on its first write the night announces
 * itself in the writers' register (with its own pace) and counts the writers; when others are writing it waits until
 * each has renewed and so counted it (`shareCadence`'s join wait), then counts again and writes, unless every
 * writer's own pace together stays under the limit (`joinCannotOvershoot`: then no part can matter); while it writes
 * it renews every refresh and counts again; after an announcement's lifetime without a write it withdraws (a night
 * reading its roster takes no part), and withdraws at its end. A register that cannot be read leaves the last part in
 * force (the night's own tables fail the night soon after if storage is gone) and is logged once.
 */
export function keepAppWriteShare(options: AppWriteShareOptions): AppWriteShareKeeper {
  const now = options.now ?? Date.now;
  const cadence = shareCadence(options.limit);
  const writerId = `${options.rolloutId}~${randomUUID()}`;
  let share: WriteShare | null = null;
  let announced = false;
  /** A refresh was tried since the last withdrawal: writes no longer wait for one (the timer retries a failed one). */
  let tried = false;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let refreshing: Promise<void> | null = null;
  let stopped = false;
  let failureLogged = false;
  const reportedUnreadable = new Set<string>();
  const pace = options.pacePerSecond ?? null;
  /** Whether, at the last count, the writers' paces could not together go over the limit. */
  let cannotOvershoot = false;

  const refresh = (): Promise<void> => {
    refreshing ??= (async () => {
      try {
        const at = now();
        await options.writers.announce(writerId, at + cadence.ttlMs, pace);
        announced = true;
        const rows = await options.writers.listHolding(now());
        for (const row of rows.filter((entry) => entry.unreadable && !reportedUnreadable.has(entry.writerId))) {
          reportedUnreadable.add(row.writerId);
          options.logger.event('appShare.rowUnreadable', { writerId: row.writerId, message: 'expiresAtMs is not a number: counted as a writer until the row is deleted' }, 'warn');
        }
        const next = writeShareOf(options.limit, countWriters(rows, writerId, now()), options.margin);
        cannotOvershoot = joinCannotOvershoot(options.limit, rows, { writerId, pacePerSecond: pace }, now(), options.margin);
        if (share?.writers !== next.writers) options.logger.event('appShare.changed', { writers: next.writers, rate: Math.round(next.ratePerSecond * 100) / 100 }, 'debug');
        share = next;
      } catch (error) {
        if (!failureLogged) {
          failureLogged = true;
          const failure = toRolloutError(error, 'TABLE_UNAVAILABLE');
          options.logger.event('appShare.unavailable', { errorCode: failure.code, message: failure.message, keptWriters: share?.writers ?? null }, 'warn');
        }
      } finally {
        tried = true;
        refreshing = null;
      }
    })();
    return refreshing;
  };

  const timer = setInterval(() => {
    if (stopped || refreshing !== null) return;
    if (now() - lastWriteAt < cadence.ttlMs) {
      void refresh();
    } else if (announced) {
      announced = false;
      tried = false;
      options.writers.withdraw(writerId).catch(() => undefined);
    }
  }, cadence.refreshMs);
  timer.unref();

  return {
    async beforeWrite() {
      lastWriteAt = now();
      if (announced || tried || stopped) return;
      await refresh();
      if (!announced) return; // the register could not be reached: write on with the part last known (none)
      // alone: no night is writing that has not counted this one (one joining later lists this one and waits itself)
      if ((share?.writers ?? 1) <= 1) return;
      // every writer's own pace together stays under the limit: no part can push the app over it, nothing to wait for
      if (cannotOvershoot) return;
      // joined others: they count this night at their next renewal; until then its part would come on top of theirs
      await new Promise<void>((resolve) => setTimeout(resolve, cadence.joinWaitMs));
      if (stopped) return;
      lastWriteAt = now();
      await refresh();
    },
    current: () => share,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await refreshing;
      if (!announced) return;
      announced = false;
      try {
        await options.writers.withdraw(writerId);
      } catch {
        // the announcement lapses on its own after its lifetime
      }
    },
  };
}
