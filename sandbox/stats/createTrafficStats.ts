/** One Graph exchange as the statistics see it (a direct request, a `$batch` envelope, or one item of a batch). */
export interface ObservedExchange {
  readonly method: string;
  /** 0 when the sandbox never answered (a `hang` fault). */
  readonly status: number;
  readonly userId: string | null;
  readonly envelope: boolean;
  readonly viaBatch: boolean;
  /** `x-ms-throttle-scope` of a 429, if it had one. */
  readonly throttleScope: string | undefined;
}

export const duplicateReasons = ['samePhoneNumber', 'sameMfaState', 'alreadyMember'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

/** A write whose effect was already in place when it arrived (never names the phone number). */
export interface DuplicateWrite {
  /** Real time, ISO 8601. */
  readonly at: string;
  readonly userId: string;
  /** e.g. `POST users/{userId}/authentication/phoneMethods`. */
  readonly operation: string;
  readonly reason: DuplicateReason;
  readonly status: number;
  readonly requestId: string;
}

export interface PerSecondPoint {
  /** Start of the second, ISO 8601 (real time). */
  readonly at: string;
  /** HTTP requests to /v1.0 and /beta (a `$batch` envelope counts once). */
  readonly requests: number;
  /** What Graph meters: direct requests and batch items (envelopes not counted). */
  readonly operations: number;
  readonly writes: number;
  readonly throttled: number;
}

export interface TrafficStatsSnapshot {
  readonly startedAt: string;
  readonly uptimeSeconds: number;
  readonly requests: {
    /** HTTP requests to /v1.0 and /beta (a `$batch` envelope counts once). */
    readonly total: number;
    readonly batchEnvelopes: number;
    readonly batchItems: number;
    readonly peakRequestsPerSecond: number;
    readonly peakOperationsPerSecond: number;
    /** Seconds with traffic, oldest first (the last hour at most). */
    readonly perSecond: readonly PerSecondPoint[];
  };
  readonly throttled: {
    readonly total: number;
    /** 429 answers to whole HTTP requests (direct requests and `$batch` envelopes). */
    readonly requests: number;
    /** 429 items inside `$batch` answers. */
    readonly batchItems: number;
    /** By `x-ms-throttle-scope`; `unscoped` for 429s without one (injected "service under load" answers). */
    readonly byScope: Readonly<Record<string, number>>;
  };
  readonly writes: {
    /** POST/PATCH/PUT/DELETE received (batch items included, envelopes not). */
    readonly attempted: number;
    /** Of those, answered 2xx. */
    readonly succeeded: number;
    /** Users with at least one successful write. */
    readonly users: number;
    readonly maxPerUser: number;
    /** Number of users by their count of successful writes, e.g. `{ "1": 950, "2": 48 }`. */
    readonly perUserHistogram: Readonly<Record<string, number>>;
    /** Successful writes by user object id; only when asked for (`?perUser=true`), since it can be large. */
    readonly perUser?: Readonly<Record<string, number>>;
  };
  readonly duplicateWrites: {
    readonly total: number;
    readonly byReason: Readonly<Record<DuplicateReason, number>>;
    readonly byOperation: Readonly<Record<string, number>>;
    /** The latest 200. */
    readonly recent: readonly DuplicateWrite[];
  };
}

export interface TrafficStats {
  observe(exchange: ObservedExchange): void;
  duplicate(entry: Omit<DuplicateWrite, 'at'>): void;
  snapshot(options?: { readonly perUser?: boolean }): TrafficStatsSnapshot;
}

const keptSeconds = 3600;
const keptDuplicates = 200;
const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

interface MutablePoint {
  second: number;
  requests: number;
  operations: number;
  writes: number;
  throttled: number;
}

/** Counts what Graph traffic the sandbox served: per second, throttling, writes per user, duplicate writes. */
export function createTrafficStats(realNowMs: () => number = Date.now): TrafficStats {
  const startedMs = realNowMs();
  const points: MutablePoint[] = [];
  const requests = { total: 0, batchEnvelopes: 0, batchItems: 0 };
  const throttled = { total: 0, requests: 0, batchItems: 0 };
  const byScope: Record<string, number> = {};
  const writes = { attempted: 0, succeeded: 0 };
  const perUser = new Map<string, number>();
  const duplicates: DuplicateWrite[] = [];
  const byReason: Record<DuplicateReason, number> = { samePhoneNumber: 0, sameMfaState: 0, alreadyMember: 0 };
  const byOperation: Record<string, number> = {};
  let duplicateTotal = 0;

  const pointNow = (): MutablePoint => {
    const second = Math.floor(realNowMs() / 1000);
    const last = points.at(-1);
    if (last !== undefined && last.second >= second) return last;
    const point: MutablePoint = { second, requests: 0, operations: 0, writes: 0, throttled: 0 };
    points.push(point);
    if (points.length > keptSeconds) points.splice(0, points.length - keptSeconds);
    return point;
  };

  return {
    observe: (exchange) => {
      const point = pointNow();
      if (!exchange.viaBatch) {
        requests.total += 1;
        point.requests += 1;
      }
      if (exchange.envelope) requests.batchEnvelopes += 1;
      else point.operations += 1;
      if (exchange.viaBatch) requests.batchItems += 1;
      if (exchange.status === 429) {
        throttled.total += 1;
        if (exchange.viaBatch) throttled.batchItems += 1;
        else throttled.requests += 1;
        point.throttled += 1;
        const scope = exchange.throttleScope ?? 'unscoped';
        byScope[scope] = (byScope[scope] ?? 0) + 1;
      }
      if (!exchange.envelope && writeMethods.has(exchange.method)) {
        writes.attempted += 1;
        point.writes += 1;
        if (exchange.status >= 200 && exchange.status < 300) {
          writes.succeeded += 1;
          if (exchange.userId !== null) perUser.set(exchange.userId, (perUser.get(exchange.userId) ?? 0) + 1);
        }
      }
    },
    duplicate: (entry) => {
      duplicateTotal += 1;
      byReason[entry.reason] += 1;
      byOperation[entry.operation] = (byOperation[entry.operation] ?? 0) + 1;
      duplicates.push({ at: new Date(realNowMs()).toISOString(), ...entry });
      if (duplicates.length > keptDuplicates) duplicates.splice(0, duplicates.length - keptDuplicates);
    },
    snapshot: (options = {}) => {
      const histogram: Record<string, number> = {};
      let maxPerUser = 0;
      for (const count of perUser.values()) {
        histogram[count] = (histogram[count] ?? 0) + 1;
        if (count > maxPerUser) maxPerUser = count;
      }
      let peakRequests = 0;
      let peakOperations = 0;
      for (const point of points) {
        if (point.requests > peakRequests) peakRequests = point.requests;
        if (point.operations > peakOperations) peakOperations = point.operations;
      }
      return {
        startedAt: new Date(startedMs).toISOString(),
        uptimeSeconds: Math.round((realNowMs() - startedMs) / 100) / 10,
        requests: {
          ...requests,
          peakRequestsPerSecond: peakRequests,
          peakOperationsPerSecond: peakOperations,
          perSecond: points.map((point) => ({
            at: new Date(point.second * 1000).toISOString(),
            requests: point.requests,
            operations: point.operations,
            writes: point.writes,
            throttled: point.throttled,
          })),
        },
        throttled: { ...throttled, byScope: { ...byScope } },
        writes: {
          ...writes,
          users: perUser.size,
          maxPerUser,
          perUserHistogram: histogram,
          ...(options.perUser === true ? { perUser: Object.fromEntries(perUser) } : {}),
        },
        duplicateWrites: { total: duplicateTotal, byReason: { ...byReason }, byOperation: { ...byOperation }, recent: [...duplicates] },
      };
    },
  };
}
