import cliProgress from 'cli-progress';
import { formatCount } from '../report/formatCount.js';

/**
 * Progress of long CLI work, one task at a time (a task: a label and, when known, a total). On a terminal it is a
 * progress bar (cli-progress) on stderr, cleared when the task ends so the command's own output stays clean;
 * elsewhere (a pipe, a file, CI) it is plain lines, at most one every `lineIntervalMs` per task and only for tasks
 * that run that long, so short work prints nothing and logs stay readable.
 *
 * For any long loop: `const progress = createProgressReporter(); progress.start('replaying faults', rounds);`
 * then `progress.update(done)` as it goes and `progress.stop()` at the end (also in a `finally`).
 */
export interface ProgressReporter {
  /** Starts a task (ending the previous one): its label and its total, or null for a running count without a bar. */
  start(label: string, total: number | null): void;
  /** Units done so far; pass `total` when it changed or became known. Ignored when no task runs. */
  update(done: number, total?: number | null): void;
  /**
   * Ends the task: the bar is cleared (terminal) or a closing line is printed (plain lines, long tasks only) saying how
   * it ended: `done` (the default), `failed` (an error stopped it) or `stopped` (it ended early on purpose: a halt).
   */
  stop(ending?: TaskEnding): void;
}

export type TaskEnding = 'done' | 'failed' | 'stopped';

const endings: Readonly<Record<TaskEnding, string>> = { done: 'done in', failed: 'failed after', stopped: 'stopped after' };

export interface ProgressOptions {
  /** Where progress goes (default: stderr, so stdout carries only the command's output). */
  readonly stream?: NodeJS.WritableStream;
  /** Bars (true) or plain lines (false); default: whether `stream` is a terminal. */
  readonly tty?: boolean;
  /** Plain lines: the least time between two lines of a task, and the least run time of a task that gets any line (default 5000 ms). */
  readonly lineIntervalMs?: number;
  /** Milliseconds, monotonic (tests pass a fake clock). */
  readonly now?: () => number;
}

/** Does nothing: for callers that want no progress (tests, `--json` output). */
export const silentProgress: ProgressReporter = { start: () => undefined, update: () => undefined, stop: () => undefined };

export function createProgressReporter(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? (stream as NodeJS.WriteStream).isTTY === true;
  return tty ? barReporter(stream) : lineReporter(stream, options.lineIntervalMs ?? 5000, options.now ?? (() => performance.now()));
}

function barReporter(stream: NodeJS.WritableStream): ProgressReporter {
  let bar: cliProgress.SingleBar | null = null;
  let counting = false;
  const stop = () => {
    bar?.stop();
    bar = null;
  };
  return {
    start(label, total) {
      stop();
      counting = total === null;
      bar = new cliProgress.SingleBar({
        stream,
        format: counting ? '{label} {value} · {duration_formatted}' : '{label} [{bar}] {percentage}% {value}/{total} · {duration_formatted} · ETA {eta_formatted}',
        clearOnComplete: true,
        hideCursor: true,
        barsize: 28,
        etaBuffer: 50,
        linewrap: false,
      }, cliProgress.Presets.shades_classic);
      bar.start(total ?? 0, 0, { label });
    },
    update(done, total) {
      if (bar === null) return;
      if (total !== undefined && total !== null && counting === false) bar.setTotal(total);
      bar.update(done);
    },
    stop,
  };
}

function lineReporter(stream: NodeJS.WritableStream, intervalMs: number, now: () => number): ProgressReporter {
  let task: { label: string; total: number | null; done: number; startedAt: number; lastLineAt: number | null } | null = null;
  const describe = (current: NonNullable<typeof task>) =>
    current.total === null || current.total === 0
      ? formatCount(current.done)
      : `${formatCount(current.done)}/${formatCount(current.total)} (${Math.floor((current.done / current.total) * 100)}%)`;
  const stop = (ending: TaskEnding = 'done') => {
    if (task === null) return;
    const elapsed = now() - task.startedAt;
    if (task.lastLineAt !== null || elapsed >= intervalMs) stream.write(`${task.label}: ${describe(task)}, ${endings[ending]} ${(elapsed / 1000).toFixed(1)} s\n`);
    task = null;
  };
  return {
    start(label, total) {
      stop();
      task = { label, total, done: 0, startedAt: now(), lastLineAt: null };
    },
    update(done, total) {
      if (task === null) return;
      task.done = done;
      if (total !== undefined) task.total = total;
      const at = now();
      if (at - (task.lastLineAt ?? task.startedAt) >= intervalMs) {
        stream.write(`${task.label}: ${describe(task)}\n`);
        task.lastLineAt = at;
      }
    },
    stop,
  };
}
