import { redactFields } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where log lines go: an InvocationContext, the console, or a test's capture. Receives one JSON line per event. */
export type LogSink = (level: LogLevel, line: string) => void;

export interface Logger {
  /** Logs one structured event: `{"event": name, ...fields}`, every field through the allow-list redactor. */
  event(name: string, fields?: Readonly<Record<string, unknown>>, level?: LogLevel): void;
  /** A logger that adds these fields to every event (e.g. runId, waveId). */
  with(fields: Readonly<Record<string, unknown>>): Logger;
}

export function createLogger(sink: LogSink, bound: Readonly<Record<string, unknown>> = {}): Logger {
  return {
    event(name, fields = {}, level = 'info') {
      sink(level, JSON.stringify(redactFields({ event: name, ...bound, ...fields })));
    },
    with(fields) {
      return createLogger(sink, { ...bound, ...fields });
    },
  };
}

/** A sink that prints JSON lines at or above a level to stderr (the CLI's default). */
export function stderrSink(minimum: LogLevel): LogSink {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  return (level, line) => {
    if (order.indexOf(level) >= order.indexOf(minimum)) process.stderr.write(`${line}\n`);
  };
}

export const silentSink: LogSink = () => undefined;
