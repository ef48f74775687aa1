import { phoneRemovalRefusalReasons } from '../core/phoneRemovalRefusal.js';
import type { RollbackResult } from '../shell/rollbackWave.js';

/** Rollback's users whose mobile Graph would not delete, by name with the reason: what must change, not "run it again". */
export function renderPhonesKept(kept: RollbackResult['phoneKept']): string[] {
  if (kept.length === 0) return [];
  return [
    `Mobile phone method kept for ${kept.length} user(s): Graph refuses to delete it; running rollback again removes it only once what is named here has changed:`,
    ...kept.map((entry) => `  ${entry.upn.padEnd(48)} ${phoneRemovalRefusalReasons[entry.reason]}`),
  ];
}
