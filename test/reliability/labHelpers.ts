import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { checkRollout, enforceableCategories, type RolloutCheck } from '../../chaos/checkRollout.js';
import type { ProcessResult } from '../../chaos/rolloutProcess.js';
import { startLab, type LabOptions, type RolloutLab } from '../../chaos/rolloutLab.js';
import { startAzurite, type AzuriteHandle } from '../../rehearsal/startAzurite.js';
import { useAzurite } from '../helpers/azurite.js';

/**
 * Labs (a sandbox tenant, fresh tables, `mfa-rollout` child processes) on one Azurite for the test file; each lab is
 * closed after its test. The children run `dist/`: `npm test` builds it first.
 */
export function useLabs(azurite: () => AzuriteHandle = useAzurite()): { start(options?: Omit<LabOptions, 'azurite'>): Promise<RolloutLab>; azurite: () => AzuriteHandle } {
  const labs: RolloutLab[] = [];
  const closeAll = async () => {
    for (const lab of labs.splice(0)) await lab.close();
  };
  afterEach(closeAll);
  afterAll(closeAll);
  return {
    azurite,
    start: async (options = {}) => {
      const lab = await startLab({ azurite, ...options });
      labs.push(lab);
      return lab;
    },
  };
}

export interface RestartableAzurite {
  /** The Azurite running now (a new handle after each start). */
  readonly current: () => AzuriteHandle;
  /** Stops it gracefully: its data stays on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port, with the data it had. */
  start(): Promise<void>;
}

/** One Azurite with on-disk persistence in a temp folder for the test file, so that it can be stopped mid-wave and started again on the same port. */
export function useRestartableAzurite(label: string): RestartableAzurite {
  let azurite: AzuriteHandle | undefined;
  let port = 0;
  const folder = mkdtempSync(path.join(tmpdir(), `mfa-${label}-azurite-`));
  beforeAll(async () => {
    azurite = await startAzurite({ location: folder });
    port = azurite.port;
  }, 60_000);
  afterAll(async () => {
    await azurite?.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  const current = (): AzuriteHandle => {
    if (azurite === undefined) throw new Error('Azurite is not running');
    return azurite;
  };
  return {
    current,
    stop: () => current().stop(),
    start: async () => {
      azurite = await startAzurite({ location: folder, port });
    },
  };
}

/** The invariants of the lab's rollout as it stands (see chaos/checkRollout.ts). */
export async function checkLab(lab: RolloutLab, corruptedOnPurpose: ReadonlySet<string> = new Set()): Promise<RolloutCheck> {
  const { config, rollout } = await lab.open();
  return checkRollout({ sandbox: lab.sandbox, config, ports: rollout.ports, corruptedOnPurpose });
}

/** Nothing lost, nothing written twice, nobody left in flight or unreadable. */
export function expectClean(check: RolloutCheck): void {
  const summary = {
    lostRecords: check.lostRecords,
    duplicateWrites: check.duplicateWrites,
    writtenTwice: check.writtenTwice,
    refusedRepeats: check.refusedRepeats,
    unresolved: check.unresolved,
    breakGlassWrites: check.breakGlassWrites,
    enforcedWithoutMethod: check.enforcedWithoutMethod,
  };
  if (JSON.stringify(summary) !== JSON.stringify({ lostRecords: [], duplicateWrites: 0, writtenTwice: [], refusedRepeats: [], unresolved: [], breakGlassWrites: 0, enforcedWithoutMethod: 0 })) {
    throw new Error(`the rollout is not clean: ${JSON.stringify(summary, null, 2)}`);
  }
}

/** The structured log events a child printed on stderr (JSON lines; the CLI's own error line is left out). */
export function eventsOf(result: ProcessResult): { event: string; [field: string]: unknown }[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { event: string });
}

/** Users of the tenant the rollout must enforce (ready, or with an MFA method already), by the generated category. */
export function enforceableUserIds(lab: RolloutLab): string[] {
  return lab.sandbox.manifest.users.filter((user) => enforceableCategories.has(user.category)).map((user) => user.id);
}
