/**
 * Allow-list redaction for log fields: a field passes only if its name is known to be safe, and even
 * then a string that looks like a phone number, a token or a Temporary Access Pass is replaced. Everything
 * else is REDACTED. Bodies, UPNs, phone numbers, tokens, passes and secrets never reach a log line.
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
  'checked', 'registered', 'notRegistered', 'stuck', 'reverted', 'released', 'phonesKept', 'mfaSignedIn', 'entries', 'unresolved', 'heldGlobalAdmin', 'privileged',
  'setupId', 'target', 'journey', 'advance', 'check', 'deferredChecks', 'severity',
  'lifetimeMinutes', 'usableOnce', 'recorded',
  'retirementDate', 'daysLeft', 'atRiskNow', 'projectedOnDate', 'smsVoiceOnly', 'noMfaMethod', 'notReached', 'pace',
  // many tenants: the tenant (a directory id), its queued night and how it ended
  'tenantId', 'verdict', 'outcome', 'timing', 'queue', 'dequeueCount', 'messageId', 'enqueued', 'tenants',
  // how long its last night ran: the fan-out's order
  'lastNightSeconds',
  // the writers' register: a night's id (tenant id ~ a GUID) and how many nights share the app's write limit
  'writerId', 'writers', 'keptWriters',
]);

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** Entra's error codes (`AADSTS7000229`, docs/graph-behaviour.md#errors): seven digits, yet no phone number. */
const entraCode = /\bAADSTS\d{4,7}\b/g;
const phoneLike = /\+\s*\d|\d{7,}/;
const tokenLike = /eyJ[A-Za-z0-9_-]{8,}|(?:secret|password|accountkey|sig)=/i;
/** ISO 8601 instants and wave ids (`2026-11-25T01-00-00Z`): times, not secrets. */
const timestamp = /\d{4}-\d{2}-\d{2}T\d{2}[:-]\d{2}[:-]\d{2}(?:\.\d+)?Z?/g;
/** Quotes, brackets and punctuation around a word of a message. */
const wordEdges = /^[\s'"`([{<,;:.]+|['"`)\]}>,;:.]+$/g;

/**
 * A word shaped like a Temporary Access Pass (docs/graph-behaviour.md#temporary-access-pass): 8 to 48 characters
 * without spaces, upper- and lower-case letters, and a symbol (`+drkzqAD`, `TAPRocks!`), or letters of both cases
 * with digits and nothing else (`Xk4mPq9z`). Identifiers the rollout logs do not look like that: codes are
 * upper-case, operations and reasons are letters with `.`, `_` or `-`. A pass made only of letters reads like a
 * camelCase word and is not caught here: the code that holds a pass never hands it to the logger.
 */
export function looksLikePass(word: string): boolean {
  // an app setting and its value (`MFA_ACK_CA_OVERLAP=true`, in messages that name the fix): only the value is judged
  const setting = /^[A-Z][A-Z0-9_]*=/.exec(word);
  if (setting !== null) return looksLikePass(word.slice(setting[0].length));
  if (word.length < 8 || word.length > 48 || /\s/.test(word) || !/[a-z]/.test(word) || !/[A-Z]/.test(word)) return false;
  return /[^A-Za-z0-9._-]/.test(word) || (/\d/.test(word) && /^[A-Za-z0-9]+$/.test(word));
}

/** True when a string could carry a phone number, a token or a pass (GUIDs, which are object and request ids, and Entra's AADSTS codes are not). */
export function looksSensitive(text: string): boolean {
  const withoutIds = text.replace(guid, '').replace(entraCode, '');
  if (phoneLike.test(withoutIds) || tokenLike.test(withoutIds)) return true;
  return withoutIds.replace(timestamp, ' ').split(/\s+/).some((word) => looksLikePass(word.replace(wordEdges, '')));
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
