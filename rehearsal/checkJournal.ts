import type { Config } from '../shared/config/configSchema.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';

export interface JournalChecks {
  /** Writes addressed to a break-glass account, whatever their outcome: must be 0. */
  readonly breakGlassWrites: number;
  /** Users whose MFA is required (per-user enforced/enabled, or in the MFA group) with no strong method: must be empty. */
  readonly enforcedWithoutMethod: readonly string[];
  readonly writes: number;
  readonly failedWrites: number;
  /** The same effective write landing twice for a user (e.g. two successful updates to one state). */
  readonly duplicateWrites: number;
}

/** What the sandbox tenant saw, checked after a rehearsal. */
export function checkJournal(sandbox: SandboxHandle, config: Config): JournalChecks {
  const breakGlassIds = new Set(sandbox.manifest.breakGlass.map((account) => account.id));
  const entries = sandbox.journal.entries();
  const seen = new Set<string>();
  let duplicateWrites = 0;
  for (const entry of entries) {
    if (entry.status >= 400 || entry.userId === null) continue;
    const key = `${entry.operation}|${entry.userId}|${JSON.stringify(entry.detail)}`;
    if (seen.has(key)) duplicateWrites += 1;
    seen.add(key);
  }
  const enforcedWithoutMethod = sandbox.state.users
    .filter((user) => {
      const required = config.strategy === 'perUserMfa'
        ? sandbox.state.perUserMfaState(user.id) !== 'disabled'
        : sandbox.state.isGroupMember(sandbox.manifest.groups.mfaRequired, user.id);
      return required && !sandbox.state.hasStrongMethod(user.id);
    })
    .map((user) => user.userPrincipalName);
  return {
    breakGlassWrites: entries.filter((entry) => entry.userId !== null && breakGlassIds.has(entry.userId)).length,
    enforcedWithoutMethod,
    writes: entries.length,
    failedWrites: entries.filter((entry) => entry.status >= 400).length,
    duplicateWrites,
  };
}
