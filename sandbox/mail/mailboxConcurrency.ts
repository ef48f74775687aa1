import { graphErrors } from '../http/graphErrors.js';
import type { GraphStage } from '../http/graphRoute.js';

/**
 * Outlook's concurrency limit (docs/graph-behaviour.md#mail): at most `limit()` `sendMail` requests of one app to one
 * mailbox in flight; one more is answered 429 `ApplicationThrottled`. Placed before the latency, so a request counts
 * as in flight for as long as it takes to answer.
 */
export function mailboxConcurrency(limit: () => number): GraphStage {
  const inFlight = new Map<string, number>();
  return async (context, next) => {
    if (context.route?.operation !== 'mail.send') return next();
    const sender = context.tenant.findUser(context.params['userId'] ?? '');
    if (sender === undefined) return next();
    const key = `${context.caller?.appId ?? ''}|${sender.id}`;
    const running = inFlight.get(key) ?? 0;
    if (running >= limit()) throw graphErrors.mailboxConcurrency();
    inFlight.set(key, running + 1);
    try {
      return await next();
    } finally {
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left === 0) inFlight.delete(key);
      else inFlight.set(key, left);
    }
  };
}
