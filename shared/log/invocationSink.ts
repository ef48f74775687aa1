import type { InvocationContext } from '@azure/functions';
import type { LogSink } from './logEvent.js';

/** Sends structured log lines to the Functions host (and so to Application Insights) at the right level. */
export function invocationSink(context: InvocationContext): LogSink {
  return (level, line) => {
    switch (level) {
      case 'debug':
        context.debug(line);
        break;
      case 'info':
        context.info(line);
        break;
      case 'warn':
        context.warn(line);
        break;
      case 'error':
        context.error(line);
        break;
    }
  };
}
