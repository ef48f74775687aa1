import type { JournalEntry } from '../sandbox/stats/journal.js';
import type { SandboxHandle } from '../sandbox/startSandbox.js';

export type WriteListener = (entry: JournalEntry) => void;

export interface WriteWatch {
  /** Called synchronously as the sandbox journals each write (after Graph applied it, as the answer leaves). */
  onWrite(listener: WriteListener): () => void;
  /** Journal entries so far. */
  readonly count: number;
}

const watches = new WeakMap<SandboxHandle, WriteWatch>();

/**
 * Sees every write the sandbox tenant journals, the moment it is journaled. A kill from a listener lands after the
 * write took effect in the tenant and before the rollout can have recorded its outcome: the worst moment to die.
 */
export function watchWrites(sandbox: SandboxHandle): WriteWatch {
  const existing = watches.get(sandbox);
  if (existing !== undefined) return existing;
  const listeners = new Set<WriteListener>();
  const journal = sandbox.journal;
  const append = journal.append.bind(journal);
  journal.append = (entry) => {
    const full = append(entry);
    for (const listener of [...listeners]) listener(full);
    return full;
  };
  const watch: WriteWatch = {
    onWrite(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    get count() {
      return journal.entries().length;
    },
  };
  watches.set(sandbox, watch);
  return watch;
}
