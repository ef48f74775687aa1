import { InvalidArgumentError, type Command } from 'commander';
import { parseFaultRule, type FaultOptions, type FaultRule, type LatencyConfig } from '../faults/faultRules.js';
import type { QuotaOptions } from '../quota/quotaConfig.js';

export interface TrafficFlags {
  readonly quota: boolean;
  readonly quotaResourceUnits?: number;
  readonly quotaRuWindow?: number;
  readonly quotaAppWrites?: number;
  readonly quotaAppWriteWindow?: number;
  readonly quotaTenantWrites?: number;
  readonly quotaTenantWriteWindow?: number;
  readonly quotaTimeScale?: number;
  readonly latency?: { minMs: number; maxMs: number };
  readonly writeLatency?: { minMs: number; maxMs: number };
  readonly faultSeed?: number;
  readonly fault: readonly FaultRule[];
}

const positive = (name: string) => (value: string): number => {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) throw new InvalidArgumentError(`expected ${name} to be a number above 0`);
  return parsed;
};

const msRange = (name: string) => (value: string): { minMs: number; maxMs: number } => {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  const minMs = Number(match?.[1]);
  const maxMs = match?.[2] === undefined ? minMs : Number(match[2]);
  if (match === null || minMs > maxMs || maxMs > 600_000) throw new InvalidArgumentError(`expected ${name} to be milliseconds as MIN-MAX (e.g. 10-40) or one number`);
  return { minMs, maxMs };
};

const faultRule = (value: string, previous: readonly FaultRule[]): FaultRule[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value) as unknown;
  } catch {
    throw new InvalidArgumentError('expected --fault to be a JSON fault rule, e.g. \'{"kind":"unavailable","status":503,"count":5}\'');
  }
  try {
    return [...previous, parseFaultRule(parsed)];
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
};

/** Adds the quota, latency and fault flags to the sandbox CLI. */
export function addTrafficFlags(program: Command): Command {
  return program
    .option('--no-quota', 'turn Graph throttling (quota buckets) off')
    .option('--quota-resource-units <n>', 'resource units per app+tenant per window (default by tenant size: 3500/5000/8000)', positive('--quota-resource-units'))
    .option('--quota-ru-window <seconds>', 'resource-unit window (default 10)', positive('--quota-ru-window'))
    .option('--quota-app-writes <n>', 'writes per app+tenant per window (default 3000)', positive('--quota-app-writes'))
    .option('--quota-app-write-window <seconds>', 'app+tenant write window (default 150)', positive('--quota-app-write-window'))
    .option('--quota-tenant-writes <n>', 'writes per tenant (all apps) per window (default 18000)', positive('--quota-tenant-writes'))
    .option('--quota-tenant-write-window <seconds>', 'tenant write window (default 300)', positive('--quota-tenant-write-window'))
    .option('--quota-time-scale <factor>', 'run the quota windows this many times faster, same capacities (default 1)', positive('--quota-time-scale'))
    .option('--latency <ms>', 'latency of every Graph answer as MIN-MAX ms (default 10-40; 0 for none)', msRange('--latency'))
    .option('--write-latency <ms>', 'latency of writes as MIN-MAX ms (default: as --latency), e.g. 100-300', msRange('--write-latency'))
    .option('--fault-seed <n>', 'seed of fault and latency draws (default: --seed)', positive('--fault-seed'))
    .option('--fault <json>', 'a fault rule active from the start (repeatable), e.g. \'{"kind":"throttle","probability":0.02}\'', faultRule, []);
}

/** The startSandbox options the traffic flags describe. */
export function trafficOptionsFrom(flags: TrafficFlags): { quota: QuotaOptions; faults: FaultOptions } {
  const quota: Record<string, number | boolean> = { enabled: flags.quota };
  const figures: [keyof TrafficFlags, keyof QuotaOptions][] = [
    ['quotaResourceUnits', 'resourceUnits'],
    ['quotaRuWindow', 'resourceUnitWindowSeconds'],
    ['quotaAppWrites', 'appWrites'],
    ['quotaAppWriteWindow', 'appWriteWindowSeconds'],
    ['quotaTenantWrites', 'tenantWrites'],
    ['quotaTenantWriteWindow', 'tenantWriteWindowSeconds'],
    ['quotaTimeScale', 'timeScale'],
  ];
  for (const [flag, field] of figures) {
    const value = flags[flag];
    if (typeof value === 'number') quota[field] = value;
  }
  const latency: { -readonly [K in keyof LatencyConfig]?: LatencyConfig[K] } = {};
  if (flags.latency !== undefined) Object.assign(latency, flags.latency);
  if (flags.writeLatency !== undefined) latency.writes = flags.writeLatency;
  return {
    quota: quota as QuotaOptions,
    faults: {
      ...(Object.keys(latency).length === 0 ? {} : { latency }),
      ...(flags.faultSeed === undefined ? {} : { seed: Math.floor(flags.faultSeed) }),
      rules: flags.fault,
    },
  };
}
