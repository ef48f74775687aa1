/**
 * Allow-list redaction for log fields: a field passes only if its name is known to be safe, and even
 * then a string that looks like a phone number or a token is replaced. Everything else is REDACTED.
 * Bodies, UPNs, phone numbers, tokens and secrets never reach a log line.
 */

export const redacted = 'REDACTED';

/** Field names whose values may reach a log line (after the value checks below); every other field is REDACTED. */
export const safeFieldNames: ReadonlySet<string> = new Set([
  'event', 'rolloutId', 'runId', 'waveId', 'targetWaveId', 'userId', 'requestId', 'clientRequestId',
  'errorCode', 'graphCode', 'httpStatus', 'status', 'state', 'step', 'reason', 'ring', 'kind', 'strategy',
  'attempt', 'attempts', 'maxAttempts', 'pilot', 'size', 'targetSize', 'planned', 'announced', 'attempted',
  'enforced', 'alreadyDone', 'phoneMethodsRegistered', 'failed', 'skipped', 'parked', 'probed', 'remaining',
  'users', 'rows', 'pages', 'present', 'absent', 'corrupt', 'retries', 'throttled', 'batches', 'calls',
  'durationSeconds', 'retryAfterSeconds', 'waitSeconds', 'ageMinutes', 'maxAgeMinutes', 'failureRate',
  'haltFailureRate', 'topErrors', 'counts', 'holder', 'expiresAt', 'nextWaveSize', 'rate', 'concurrency',
  'method', 'operation', 'night', 'now', 'at', 'configHash', 'setting', 'permission', 'message', 'tookOver',
  'checked', 'registered', 'notRegistered', 'stuck', 'reverted', 'released', 'phonesKept', 'mfaSignedIn',
]);

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const phoneLike = /\+\s*\d|\d{7,}/;
const tokenLike = /eyJ[A-Za-z0-9_-]{8,}|(?:secret|password|accountkey|sig)=/i;

/** True when a string could carry a phone number or a token (GUIDs, which are object and request ids, are not). */
export function looksSensitive(text: string): boolean {
  const withoutIds = text.replace(guid, '');
  return phoneLike.test(withoutIds) || tokenLike.test(withoutIds);
}

export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return looksSensitive(value) ? redacted : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return value;
  if (depth > 3) return redacted;
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redactValue(item, depth + 1));
  if (typeof value === 'object') {
    // nested objects are counters and error tallies: keys are codes or reasons, values pass the same checks
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[looksSensitive(key) ? redacted : key] = redactValue(inner, depth + 1);
    return out;
  }
  return redacted;
}

export function redactFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = safeFieldNames.has(key) ? redactValue(value) : redacted;
  }
  return out;
}
