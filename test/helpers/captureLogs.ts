import { randomUUID } from 'node:crypto';
import azureFunctions from '@azure/functions';
import type { InvocationContext } from '@azure/functions';

export interface CapturedLogs {
  readonly lines: string[];
  readonly context: InvocationContext;
}

/** A real InvocationContext whose log handler keeps every line, as the Functions host would receive them. */
export function captureLogs(functionName = 'test'): CapturedLogs {
  const lines: string[] = [];
  const context = new azureFunctions.InvocationContext({
    invocationId: randomUUID(), // the host's invocation ids are GUIDs
    functionName,
    logHandler: (level, ...args) => lines.push(`${level} ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`),
  });
  return { lines, context };
}
