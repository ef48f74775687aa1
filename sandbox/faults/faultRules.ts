export const faultKinds = ['latency', 'unavailable', 'throttle', 'malformed', 'hang', 'loseAnswer'] as const;
export type FaultKind = (typeof faultKinds)[number];

/** How a malformed answer is broken. */
export const malformedShapes = ['invalidJson', 'missingField', 'wrongType', 'emptyPageWithNextLink'] as const;
export type MalformedShape = (typeof malformedShapes)[number];

/** Which requests a fault applies to, and for how long. Every field is optional. */
export interface FaultScope {
  /**
   * Operation names of the route table (`users.list`, `users.read`, `phoneMethods.create`, `requirements.update`,
   * `groups.addMember`, …, `batch.send` for the `$batch` envelope), exactly as the product's `GraphCall.operation`
   * and the journal spell them; an unknown name is refused. Every Graph request when absent.
   */
  readonly operations?: readonly string[];
  /** Users (object ids or UPNs) named by the request path's `{userId}`; any request when absent. */
  readonly userIds?: readonly string[];
  /** Applies to the next N matching requests, then ends. */
  readonly count?: number;
  /** Ends this many ms (real time) after it was added. */
  readonly durationMs?: number;
  /** Chance (0–1) that it applies to a matching request, drawn from the fault seed. Default 1. */
  readonly probability?: number;
}

export type FaultAction =
  /** Replaces the default latency for the requests it matches: uniform in [minMs, maxMs]. */
  | { readonly kind: 'latency'; readonly minMs: number; readonly maxMs: number }
  /** 503 `serviceNotAvailable` (default) or 504 `UnknownError`; Retry-After only when `retryAfterSeconds` is a number. */
  | { readonly kind: 'unavailable'; readonly status?: 503 | 504; readonly retryAfterSeconds?: number | null }
  /** 429 `TooManyRequests` below the quotas ("the service is under load"); Retry-After 1 s by default, none when null. */
  | { readonly kind: 'throttle'; readonly retryAfterSeconds?: number | null }
  /**
   * A 2xx answer with a JSON body, broken as `shape` says (answers without a body are left alone and do not use up the
   * fault). `field` (with `missingField` or `wrongType`): the dotted path of the property to break instead of the key
   * field; a segment that is not a number picks the array element whose `id` it is, ignoring case
   * (`authenticationMethodConfigurations.Fido2.isSelfServiceRegistrationAllowed`).
   */
  | { readonly kind: 'malformed'; readonly shape: MalformedShape; readonly field?: string }
  /** The request is read and never answered (nothing is applied). */
  | { readonly kind: 'hang' }
  /**
   * The request is applied (a write lands, the journal has it), then its answer is never sent: the connection stays
   * silent until the client gives up, as when a connection drops after Graph did the work. Inside a `$batch` the
   * whole batch goes unanswered, after every item of it was applied.
   */
  | { readonly kind: 'loseAnswer' };

export type FaultRule = FaultScope & FaultAction;

/** Latency added to every Graph answer (batch items one by one; the `$batch` envelope only through latency rules). */
export interface LatencyConfig {
  readonly minMs: number;
  readonly maxMs: number;
  /** For POST/PATCH/PUT/DELETE, e.g. 100–300 ms for Graph-like write latency; null: the same as reads. */
  readonly writes: { readonly minMs: number; readonly maxMs: number } | null;
}

export const defaultLatency: LatencyConfig = { minMs: 10, maxMs: 40, writes: null };

/** What `startSandbox({ faults })` accepts. */
export interface FaultOptions {
  /** Seed of every random fault decision and latency draw (default: the tenant seed). */
  readonly seed?: number;
  /** Base latency (default 10–40 ms for every request); `false` for none. */
  readonly latency?: Partial<LatencyConfig> | false;
  /** Faults active from the start. */
  readonly rules?: readonly FaultRule[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isMs = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 600_000;

function range(where: string, value: unknown): { minMs: number; maxMs: number } {
  if (!isRecord(value) || !isMs(value.minMs) || !isMs(value.maxMs) || value.minMs > value.maxMs) {
    throw new RangeError(`${where}: expected 'minMs' and 'maxMs' to be milliseconds from 0 to 600000 with minMs <= maxMs`);
  }
  return { minMs: value.minMs, maxMs: value.maxMs };
}

/** `base` with `change` applied (`false`: no latency at all). RangeError names the field. */
export function mergeLatency(base: LatencyConfig, change: unknown): LatencyConfig {
  if (change === false) return { minMs: 0, maxMs: 0, writes: null };
  if (!isRecord(change)) throw new RangeError('latency: expected an object with minMs, maxMs and optionally writes, or false');
  for (const key of Object.keys(change)) {
    if (!['minMs', 'maxMs', 'writes'].includes(key)) throw new RangeError(`latency: unknown field '${key}'; expected minMs, maxMs, writes`);
  }
  const reads = range('latency', { minMs: change.minMs ?? base.minMs, maxMs: change.maxMs ?? base.maxMs });
  const writes = change.writes === undefined ? base.writes : change.writes === null ? null : range('latency.writes', change.writes);
  return { ...reads, writes };
}

/** Checks a fault rule from an admin call or options; RangeError names the first field that is not acceptable. */
export function parseFaultRule(value: unknown): FaultRule {
  if (!isRecord(value)) throw new RangeError('fault: expected an object with a kind');
  const kind = value.kind;
  if (typeof kind !== 'string' || !(faultKinds as readonly string[]).includes(kind)) throw new RangeError(`fault: expected 'kind' to be one of ${faultKinds.join(', ')}`);
  const allowed = new Set(['kind', 'operations', 'userIds', 'count', 'durationMs', 'probability']);
  const scope: { -readonly [K in keyof FaultScope]: FaultScope[K] } = {};
  if (value.operations !== undefined) {
    if (!Array.isArray(value.operations) || !value.operations.every((entry) => typeof entry === 'string' && entry !== '')) {
      throw new RangeError("fault: expected 'operations' to be a list of operation names");
    }
    scope.operations = [...(value.operations as string[])];
  }
  if (value.userIds !== undefined) {
    if (!Array.isArray(value.userIds) || !value.userIds.every((entry) => typeof entry === 'string' && entry !== '')) {
      throw new RangeError("fault: expected 'userIds' to be a list of user object ids or UPNs");
    }
    scope.userIds = [...(value.userIds as string[])];
  }
  if (value.count !== undefined) {
    if (!Number.isInteger(value.count) || (value.count as number) < 1) throw new RangeError("fault: expected 'count' to be a whole number of 1 or more");
    scope.count = value.count as number;
  }
  if (value.durationMs !== undefined) {
    if (typeof value.durationMs !== 'number' || !(value.durationMs > 0)) throw new RangeError("fault: expected 'durationMs' to be a number of milliseconds above 0");
    scope.durationMs = value.durationMs;
  }
  if (value.probability !== undefined) {
    if (typeof value.probability !== 'number' || !(value.probability >= 0 && value.probability <= 1)) throw new RangeError("fault: expected 'probability' to be a number from 0 to 1");
    scope.probability = value.probability;
  }
  const retryAfter = (fallback: number | null | undefined): number | null | undefined => {
    allowed.add('retryAfterSeconds');
    const given = value.retryAfterSeconds;
    if (given === undefined) return fallback;
    if (given === null) return null;
    if (typeof given !== 'number' || !(given >= 0 && given <= 3600)) throw new RangeError("fault: expected 'retryAfterSeconds' to be seconds from 0 to 3600, or null for no Retry-After");
    return given;
  };
  let action: FaultAction;
  switch (kind as FaultKind) {
    case 'latency':
      allowed.add('minMs').add('maxMs');
      action = { kind: 'latency', ...range('fault', value) };
      break;
    case 'unavailable': {
      allowed.add('status');
      const status = value.status ?? 503;
      if (status !== 503 && status !== 504) throw new RangeError("fault: expected 'status' to be 503 or 504");
      action = { kind: 'unavailable', status, retryAfterSeconds: retryAfter(null) ?? null };
      break;
    }
    case 'throttle':
      action = { kind: 'throttle', retryAfterSeconds: retryAfter(1) ?? null };
      break;
    case 'malformed': {
      allowed.add('shape');
      const shape = value.shape;
      if (typeof shape !== 'string' || !(malformedShapes as readonly string[]).includes(shape)) throw new RangeError(`fault: expected 'shape' to be one of ${malformedShapes.join(', ')}`);
      allowed.add('field');
      const field = value.field;
      if (field !== undefined && !(typeof field === 'string' && /^[A-Za-z0-9_@$-]+(\.[A-Za-z0-9_@$-]+)*$/.test(field) && (shape === 'missingField' || shape === 'wrongType'))) {
        throw new RangeError("fault: expected 'field' to be a dotted property path, with shape missingField or wrongType");
      }
      action = { kind: 'malformed', shape: shape as MalformedShape, ...(field === undefined ? {} : { field }) };
      break;
    }
    case 'hang':
      action = { kind: 'hang' };
      break;
    case 'loseAnswer':
      action = { kind: 'loseAnswer' };
      break;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) throw new RangeError(`fault: unknown field '${key}' for kind '${kind}'`);
  }
  return { ...scope, ...action };
}
