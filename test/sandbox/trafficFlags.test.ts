import { describe, expect, it } from '@jest/globals';
import { runSandboxCli } from '../../sandbox/admin/sandboxCli.js';

const quiet = { stdout: () => undefined, stderr: () => undefined };

describe('sandbox CLI traffic flags', () => {
  it('sets the quota figures, time factor, latency and start-up faults', async () => {
    const running = await runSandboxCli(
      [
        '--users', '20', '--quota-resource-units', '700', '--quota-app-writes', '300', '--quota-tenant-writes', '900', '--quota-time-scale', '10',
        '--quota-app-write-window', '15', '--latency', '0', '--write-latency', '100-300', '--fault-seed', '5',
        '--fault', '{"kind":"throttle","probability":0.05}', '--fault', '{"kind":"unavailable","status":504,"count":2,"operations":["users.list"]}',
      ],
      quiet,
    );
    try {
      expect(running.sandbox.traffic.quota().config).toMatchObject({ enabled: true, resourceUnits: 700, appWrites: 300, appWriteWindowSeconds: 15, tenantWrites: 900, timeScale: 10 });
      const faults = running.sandbox.traffic.faults();
      expect(faults.seed).toBe(5);
      expect(faults.latency).toEqual({ minMs: 0, maxMs: 0, writes: { minMs: 100, maxMs: 300 } });
      expect(faults.faults.map((fault) => fault.rule)).toEqual([
        { kind: 'throttle', probability: 0.05, retryAfterSeconds: 1 },
        { kind: 'unavailable', status: 504, count: 2, operations: ['users.list'], retryAfterSeconds: null },
      ]);
    } finally {
      await running.stop();
    }
  });

  it('turns the quota off with --no-quota and refuses bad figures and rules before starting', async () => {
    const running = await runSandboxCli(['--users', '20', '--no-quota'], quiet);
    try {
      expect(running.sandbox.traffic.quota().config.enabled).toBe(false);
      expect(running.sandbox.traffic.faults().latency).toEqual({ minMs: 10, maxMs: 40, writes: null });
    } finally {
      await running.stop();
    }
    await expect(runSandboxCli(['--quota-time-scale', '0'], quiet)).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(runSandboxCli(['--latency', '40-10'], quiet)).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    await expect(runSandboxCli(['--fault', '{"kind":"hang","count":0}'], quiet)).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
