import { graphErrors } from '../http/graphErrors.js';
import type { GraphRoute, GraphStage, Reply, RequestContext } from '../http/graphRoute.js';
import type { TenantState } from '../tenant/tenantState.js';
import { defaultLatency, mergeLatency, parseFaultRule, type FaultRule, type LatencyConfig, type MalformedShape } from './faultRules.js';
import { malformReply } from './malformReply.js';
import { unitFloat } from './unitFloat.js';

/** A fault as the admin API lists it. */
export interface ActiveFault {
  readonly id: string;
  readonly rule: FaultRule;
  /** Real time, ISO 8601. */
  readonly addedAt: string;
  /** Requests it has applied to so far. */
  readonly applied: number;
  /** Requests left for a `count` fault, null otherwise. */
  readonly remaining: number | null;
  /** When a `durationMs` fault ends, null otherwise. */
  readonly endsAt: string | null;
}

/** What the injector has done since start. */
export interface FaultCounters {
  readonly serviceUnavailable503: number;
  readonly gatewayTimeout504: number;
  readonly throttled429: number;
  readonly malformed: Readonly<Record<MalformedShape, number>>;
  readonly hung: number;
  /** Requests applied whose answer was then never sent (`loseAnswer`). */
  readonly answersLost: number;
  /** Requests that waited for a latency fault rule (the base latency is not counted). */
  readonly slowed: number;
}

export interface FaultInjector {
  /** The pipeline stage (after authorization, before the quota): latency, then injected answers, then malformed bodies. */
  readonly stage: GraphStage;
  readonly seed: number;
  list(): readonly ActiveFault[];
  /** Validates and activates a rule (RangeError naming the field otherwise). */
  add(rule: unknown): ActiveFault;
  remove(id: string): boolean;
  clear(): void;
  latency(): LatencyConfig;
  setLatency(change: unknown): LatencyConfig;
  counters(): FaultCounters;
}

export interface FaultInjectorOptions {
  readonly tenant: TenantState;
  readonly seed: number;
  readonly latency?: LatencyConfig;
  readonly rules?: readonly FaultRule[];
  /** Routes whose requests only get latency from rules, never the base latency (the `$batch` envelope). */
  readonly isEnvelope: (route: GraphRoute) => boolean;
  /** Every route's operation name: a rule's `operations` must name only these. */
  readonly operations: ReadonlySet<string>;
  /** Real time in ms (default Date.now), for `durationMs`. */
  readonly nowMs?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface Entry {
  readonly serial: number;
  readonly id: string;
  readonly rule: FaultRule;
  readonly operations: ReadonlySet<string> | undefined;
  readonly userIds: ReadonlySet<string> | undefined;
  readonly addedAtMs: number;
  readonly endsAtMs: number | null;
  remaining: number | null;
  applied: number;
  evaluations: number;
}

const unrefSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * Seeded fault injection for the Graph paths: a base latency on every request and rules that target operations
 * (by name) and/or users, each for the next N requests, for a time, and/or with a probability.
 */
export function createFaultInjector(options: FaultInjectorOptions): FaultInjector {
  const { tenant, seed } = options;
  const nowMs = options.nowMs ?? Date.now;
  const sleep = options.sleep ?? unrefSleep;
  let latency = options.latency ?? defaultLatency;
  let entries: Entry[] = [];
  let serial = 0;
  let unit = 0;
  const counts = {
    serviceUnavailable503: 0,
    gatewayTimeout504: 0,
    throttled429: 0,
    malformed: { invalidJson: 0, missingField: 0, wrongType: 0, emptyPageWithNextLink: 0 } as Record<MalformedShape, number>,
    hung: 0,
    answersLost: 0,
    slowed: 0,
  };

  const add = (raw: unknown): ActiveFault => {
    const rule = parseFaultRule(raw);
    const unknown = rule.operations?.find((name) => !options.operations.has(name));
    if (unknown !== undefined) throw new RangeError(`fault: '${unknown}' is not an operation of the sandbox; expected one of ${[...options.operations].sort().join(', ')}`);
    serial += 1;
    const now = nowMs();
    const entry: Entry = {
      serial,
      id: `fault-${serial}`,
      rule,
      operations: rule.operations === undefined ? undefined : new Set(rule.operations),
      userIds: rule.userIds === undefined ? undefined : new Set(rule.userIds.map((id) => id.toLowerCase())),
      addedAtMs: now,
      endsAtMs: rule.durationMs === undefined ? null : now + rule.durationMs,
      remaining: rule.count ?? null,
      applied: 0,
      evaluations: 0,
    };
    entries = [...entries, entry];
    return view(entry);
  };

  const view = (entry: Entry): ActiveFault => ({
    id: entry.id,
    rule: entry.rule,
    addedAt: new Date(entry.addedAtMs).toISOString(),
    applied: entry.applied,
    remaining: entry.remaining,
    endsAt: entry.endsAtMs === null ? null : new Date(entry.endsAtMs).toISOString(),
  });

  const live = (entry: Entry, now: number): boolean => (entry.remaining === null || entry.remaining > 0) && (entry.endsAtMs === null || now < entry.endsAtMs);

  const prune = (now: number): void => {
    if (entries.some((entry) => !live(entry, now))) entries = entries.filter((entry) => live(entry, now));
  };

  /** Whether the rule is aimed at this request (target only; the probability is drawn by `fires`). */
  const aimedAt = (entry: Entry, context: RequestContext, userKey: () => string | undefined): boolean => {
    if (entry.operations !== undefined && (context.route === undefined || !entry.operations.has(context.route.operation))) return false;
    if (entry.userIds !== undefined) {
      const key = userKey();
      if (key === undefined || !entry.userIds.has(key)) return false;
    }
    return true;
  };

  const fires = (entry: Entry, now: number): boolean => {
    if (!live(entry, now)) return false;
    const probability = entry.rule.probability ?? 1;
    const index = entry.evaluations;
    entry.evaluations += 1;
    return probability >= 1 || unitFloat(seed, entry.serial, index) < probability;
  };

  const consume = (entry: Entry): void => {
    entry.applied += 1;
    if (entry.remaining !== null) entry.remaining -= 1;
  };

  const draw = (minMs: number, maxMs: number, stream: number, index: number): number =>
    maxMs <= 0 ? 0 : Math.round(minMs + unitFloat(seed, stream, index) * (maxMs - minMs));

  const stage: GraphStage = async (context, next) => {
    const route = context.route;
    const now = nowMs();
    prune(now);
    const thisUnit = unit;
    unit += 1;
    let resolvedUser: string | null | undefined;
    const userKey = (): string | undefined => {
      if (resolvedUser === undefined) {
        const raw = context.params.userId;
        resolvedUser = raw === undefined ? null : (tenant.findUser(raw)?.id ?? raw).toLowerCase();
      }
      return resolvedUser ?? undefined;
    };
    const isWrite = context.request.method !== 'GET';
    const envelope = route !== undefined && options.isEnvelope(route);

    let delayMs = 0;
    let ruled = false;
    for (const entry of entries) {
      if (entry.rule.kind !== 'latency' || !aimedAt(entry, context, userKey) || !fires(entry, now)) continue;
      consume(entry);
      counts.slowed += 1;
      delayMs = draw(entry.rule.minMs, entry.rule.maxMs, entry.serial + 1_000_000, entry.applied);
      ruled = true;
      break;
    }
    if (!ruled && !envelope) {
      const range = isWrite && latency.writes !== null ? latency.writes : latency;
      delayMs = draw(range.minMs, range.maxMs, 0, thisUnit);
    }
    if (delayMs > 0) await sleep(delayMs);

    const afterDelay = nowMs();
    for (const entry of entries) {
      const kind = entry.rule.kind;
      if ((kind !== 'unavailable' && kind !== 'throttle' && kind !== 'hang') || !aimedAt(entry, context, userKey) || !fires(entry, afterDelay)) continue;
      consume(entry);
      context.audit.detail.fault = kind;
      if (entry.rule.kind === 'hang') {
        counts.hung += 1;
        return { status: 0, hang: true };
      }
      const seconds = entry.rule.retryAfterSeconds;
      const headers: Record<string, string> = seconds === null || seconds === undefined ? {} : { 'Retry-After': String(seconds) };
      if (entry.rule.kind === 'throttle') {
        counts.throttled429 += 1;
        throw graphErrors.tooManyRequests(headers);
      }
      if (entry.rule.status === 504) {
        counts.gatewayTimeout504 += 1;
        throw graphErrors.gatewayTimeout(headers);
      }
      counts.serviceUnavailable503 += 1;
      throw graphErrors.serviceUnavailable(headers);
    }

    const reply: Reply = await next();
    if (reply.hang === true) return reply;
    const answered = nowMs();
    for (const entry of entries) {
      if (entry.rule.kind !== 'loseAnswer' || !aimedAt(entry, context, userKey) || !fires(entry, answered)) continue;
      consume(entry);
      counts.answersLost += 1;
      context.audit.detail.fault = 'loseAnswer';
      // applied, journaled with its real status, and never answered
      return { ...reply, hang: true };
    }
    for (const entry of entries) {
      if (entry.rule.kind !== 'malformed' || !aimedAt(entry, context, userKey) || !live(entry, answered)) continue;
      const broken = malformReply(reply, entry.rule.shape, context.request.url, entry.rule.field);
      if (broken === undefined || !fires(entry, answered)) continue;
      consume(entry);
      counts.malformed[entry.rule.shape] += 1;
      context.audit.detail.fault = `malformed:${entry.rule.shape}`;
      return broken;
    }
    return reply;
  };

  for (const rule of options.rules ?? []) add(rule);

  return {
    stage,
    seed,
    list: () => {
      prune(nowMs());
      return entries.map(view);
    },
    add,
    remove: (id) => {
      const before = entries.length;
      entries = entries.filter((entry) => entry.id !== id);
      return entries.length < before;
    },
    clear: () => {
      entries = [];
    },
    latency: () => latency,
    setLatency: (change) => {
      latency = mergeLatency(latency, change);
      return latency;
    },
    counters: () => ({ ...counts, malformed: { ...counts.malformed } }),
  };
}
