import type { JournalEntry } from '../sandbox/stats/journal.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';

export type WriteListener = (entry: JournalEntry) => void;

export interface WriteWatch {
  /** Called synchronously as the sandbox journals each write (after Graph applied it, before its answer is sent). */
  onWrite(listener: WriteListener): () => void;
  /** Journal entries so far. */
  readonly count: number;
}

/**
 * Sees every write the sandbox tenant journals, the moment it is journaled (the journal's `onWrite` hook). A kill from
 * a listener lands after the write took effect in the tenant and before the rollout can have recorded its outcome: the
 * worst moment to die.
 */
export function watchWrites(sandbox: SandboxHandle): WriteWatch {
  const { journal } = sandbox;
  return {
    onWrite: (listener) => journal.onWrite(listener),
    get count() {
      return journal.entries().length;
    },
  };
}
