import type { ActiveFault, FaultCounters, FaultInjector } from '../faults/createFaultInjector.js';
import type { LatencyConfig } from '../faults/faultRules.js';
import type { QuotaMeter, QuotaUsage } from '../quota/createQuotaMeter.js';
import type { QuotaConfig } from '../quota/quotaConfig.js';
import type { TrafficStats, TrafficStatsSnapshot } from '../stats/createTrafficStats.js';

/** `GET /_sandbox/stats`: what the Graph traffic looked like, and the quota it ran under. */
export interface SandboxStats extends TrafficStatsSnapshot {
  /** Answers the fault injector produced (503/504/429/malformed/hung) and requests slowed by latency rules. */
  readonly injected: FaultCounters;
  /** The quota figures (with `timeScale`, the time factor) and the buckets' current state. */
  readonly quota: { readonly config: QuotaConfig; readonly usage: QuotaUsage };
}

export interface FaultsView {
  readonly seed: number;
  readonly latency: LatencyConfig;
  readonly faults: readonly ActiveFault[];
}

/** Quotas, faults, latency and statistics of a running sandbox: the same operations as the admin API. */
export interface TrafficControls {
  stats(options?: { readonly perUser?: boolean }): SandboxStats;
  quota(): { readonly config: QuotaConfig; readonly usage: QuotaUsage };
  /** Any subset of QuotaConfig, plus `reset: true` to refill every bucket. RangeError names a bad field. */
  setQuota(change: Partial<QuotaConfig> & { readonly reset?: boolean }): QuotaConfig;
  faults(): FaultsView;
  /** Activates a FaultRule (validated; RangeError names a bad field). */
  addFault(rule: unknown): ActiveFault;
  removeFault(id: string): boolean;
  clearFaults(): void;
  /** Any subset of LatencyConfig, or false for none. */
  setLatency(change: Partial<LatencyConfig> | false): LatencyConfig;
}

export function createTrafficControls(parts: { readonly stats: TrafficStats; readonly quota: QuotaMeter; readonly faults: FaultInjector }): TrafficControls {
  const { stats, quota, faults } = parts;
  return {
    stats: (options) => ({ ...stats.snapshot(options), injected: faults.counters(), quota: { config: quota.config(), usage: quota.usage() } }),
    quota: () => ({ config: quota.config(), usage: quota.usage() }),
    setQuota: (change) => quota.configure(change),
    faults: () => ({ seed: faults.seed, latency: faults.latency(), faults: faults.list() }),
    addFault: (rule) => faults.add(rule),
    removeFault: (id) => faults.remove(id),
    clearFaults: () => faults.clear(),
    setLatency: (change) => faults.setLatency(change),
  };
}
