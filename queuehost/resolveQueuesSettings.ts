/**
 * The queue trigger's settings as one Functions host would run them: host.json `extensions.queues`, with the host's
 * own default for each value host.json leaves out (the Storage extension's QueuesOptions), and the two constants the
 * host does not let host.json change (how long a received message stays invisible, and the shortest renewal gap).
 */
export interface QueuesSettings {
  /** Messages taken per receive (1–32). Host default 16. */
  readonly batchSize: number;
  /** A new batch is taken once no more than this many messages are still running. Host default batchSize/2 × processors. */
  readonly newBatchThreshold: number;
  /** Attempts before a message goes to `<queue>-poison`. Host default 5. */
  readonly maxDequeueCount: number;
  /** How long a message that failed stays invisible before its next attempt, in ms. Host default 0. */
  readonly visibilityTimeoutMs: number;
  /** Longest wait between polls of an empty queue, in ms (at least 100). Host default 1 minute. */
  readonly maxPollingIntervalMs: number;
  /** How message bodies are encoded on the wire. Host default base64. */
  readonly messageEncoding: 'base64' | 'none';
  /** Invisibility taken when a message is received and renewed while it runs, in ms. The host's is 10 minutes, fixed. */
  readonly messageLeaseMs: number;
  /** Shortest gap between renewals after a renewal failed, in ms. The host's is 1 minute, fixed. */
  readonly minimumRenewalIntervalMs: number;
  /** host.json `functionTimeout`, in ms (absent: none set). */
  readonly functionTimeoutMs?: number;
}

/** What the host reads from its machine: processor count, and whether it runs on the (Linux/Windows) Consumption SKU. */
export interface HostMachine {
  readonly processorCount: number;
  /** `WEBSITE_SKU`: on `Dynamic` the host counts one processor whatever the machine has. */
  readonly websiteSku?: string;
}

const maxBatchSize = 32;
const minimumPollingMs = 100;

/**
 * Resolves the settings from a parsed host.json, the host's defaults and explicit overrides (a test's short timeouts).
 * Throws an Error naming the host.json path of a value the host would refuse.
 */
export function resolveQueuesSettings(hostJson: unknown, machine: HostMachine, overrides: Partial<QueuesSettings> = {}): QueuesSettings {
  const root = asObject(hostJson, 'host.json');
  const extensions = root['extensions'] === undefined ? {} : asObject(root['extensions'], 'host.json extensions');
  const queues = extensions['queues'] === undefined ? {} : asObject(extensions['queues'], 'host.json extensions.queues');
  const at = (name: string) => `host.json extensions.queues.${name}`;

  const batchSize = overrides.batchSize ?? integer(queues['batchSize'], at('batchSize'), 16);
  if (batchSize < 1 || batchSize > maxBatchSize) throw new Error(`${at('batchSize')}: must be from 1 to ${maxBatchSize}`);
  const processors = machine.websiteSku?.toLowerCase() === 'dynamic' ? 1 : Math.max(1, machine.processorCount);
  const newBatchThreshold = overrides.newBatchThreshold ?? integer(queues['newBatchThreshold'], at('newBatchThreshold'), Math.floor(batchSize / 2) * processors);
  if (newBatchThreshold < 0) throw new Error(`${at('newBatchThreshold')}: must not be negative`);
  const maxDequeueCount = overrides.maxDequeueCount ?? integer(queues['maxDequeueCount'], at('maxDequeueCount'), 5);
  if (maxDequeueCount < 1) throw new Error(`${at('maxDequeueCount')}: must not be less than 1`);
  const visibilityTimeoutMs = overrides.visibilityTimeoutMs ?? duration(queues['visibilityTimeout'], at('visibilityTimeout'), 0);
  const maxPollingIntervalMs = overrides.maxPollingIntervalMs ?? duration(queues['maxPollingInterval'], at('maxPollingInterval'), 60_000);
  if (maxPollingIntervalMs < minimumPollingMs) throw new Error(`${at('maxPollingInterval')}: must not be less than 00:00:00.100`);
  const messageEncoding = overrides.messageEncoding ?? encoding(queues['messageEncoding'], at('messageEncoding'));
  const functionTimeoutMs = overrides.functionTimeoutMs ?? (root['functionTimeout'] === undefined ? undefined : duration(root['functionTimeout'], 'host.json functionTimeout', 0));

  return Object.freeze({
    batchSize,
    newBatchThreshold,
    maxDequeueCount,
    visibilityTimeoutMs,
    maxPollingIntervalMs,
    messageEncoding,
    messageLeaseMs: overrides.messageLeaseMs ?? 10 * 60_000,
    minimumRenewalIntervalMs: overrides.minimumRenewalIntervalMs ?? 60_000,
    ...(functionTimeoutMs === undefined ? {} : { functionTimeoutMs }),
  });
}

function asObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path}: an object was expected instead of ${describe(value)}`);
  return value as Record<string, unknown>;
}

function integer(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${path}: an integer was expected instead of ${describe(value)}`);
  return value;
}

/** A .NET TimeSpan as host.json writes it ("[d.]hh:mm:ss[.fffffff]"), or a number of milliseconds (the 1.x form). */
function duration(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value.trim());
    if (match !== null) {
      const [, days, hours, minutes, seconds, fraction] = match;
      if (Number(hours) < 24 && Number(minutes) < 60 && Number(seconds) < 60) {
        const ms = (((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
        return ms + (fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000);
      }
    }
  }
  throw new Error(`${path}: a TimeSpan ("hh:mm:ss") or a number of milliseconds was expected instead of ${describe(value)}`);
}

function encoding(value: unknown, path: string): 'base64' | 'none' {
  if (value === undefined) return 'base64';
  if (typeof value === 'string' && ['base64', 'none'].includes(value.toLowerCase())) return value.toLowerCase() as 'base64' | 'none';
  throw new Error(`${path}: "base64" or "none" was expected instead of ${describe(value)}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
