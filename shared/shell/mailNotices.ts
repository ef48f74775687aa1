import pLimit from 'p-limit';
import { exchangeMailLimits, mailBudgetLeft, mailWaitMs } from '../core/mailPacing.js';
import { toRolloutError } from '../errors/RolloutError.js';
import type { Logger } from '../log/logEvent.js';
import type { GraphGateway } from '../adapters/graph/graphGateway.js';
import { sendNotice } from '../adapters/graph/sendNotice.js';

export interface NoticeToMail {
  readonly userId: string;
  /** The user's `mail`; null or absent: none, and the notice is listed for export instead. */
  readonly mail?: string | null;
  readonly enforceFrom: string;
}

export type NoticeMailOutcome =
  | { readonly userId: string; readonly kind: 'mailed'; readonly at: string }
  | { readonly userId: string; readonly kind: 'noMailAddress' }
  | { readonly userId: string; readonly kind: 'failed'; readonly errorCode: string; readonly requestId: string | null }
  /** Not sent tonight: the mailbox's daily recipients would pass the budget, or the night's time was up. */
  | { readonly userId: string; readonly kind: 'deferred'; readonly reason: 'dailyLimit' | 'timeBudget' };

export interface MailNoticesOptions {
  /** A gateway for mail only (`createMailGateway`): never the MFA gateway, so mail throttling stays out of the MFA writes' pace and retries. */
  readonly gateway: GraphGateway;
  readonly mailbox: string;
  readonly now: () => Date;
  /** Recipients this mailbox sent notices to in the last 24 hours, oldest first (ISO), from the notices table. */
  readonly mailedInLast24Hours: readonly string[];
  /** The daily recipient budget (MFA_NOTICE_RECIPIENTS_PER_DAY), below Exchange's 10,000 for other mail of the mailbox. */
  readonly recipientsPerDay: number;
  /** True once no new notice may start (the night's time budget). */
  readonly stop?: () => boolean;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger?: Logger;
}

/**
 * Mails the notices on their own queue, within Exchange's limits for one mailbox (docs/graph-behaviour.md#mail): at
 * most 4 requests at once, at most 30 messages in any minute, and no more recipients in 24 hours than the daily budget
 * allows (one recipient per notice, unbatched). Graph answers neither of the last two with an error (the excess is
 * delivered late, or bounced), so the queue never waits for one. A user without a `mail` is not mailed: the notice is
 * kept for export with that reason. Never throws for one notice: each gets an outcome.
 */
export async function mailNotices(notices: readonly NoticeToMail[], options: MailNoticesOptions): Promise<NoticeMailOutcome[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limit = pLimit(exchangeMailLimits.concurrency);
  const mailed = options.mailedInLast24Hours.map((at) => Date.parse(at)).filter((at) => !Number.isNaN(at));
  // When each message let go reached Exchange, at the latest: stamped when its slot is granted (so a message in flight
  // counts at once), then moved to when its answer came back. Exchange counts a message when it arrives, which can be
  // seconds after the slot on a first request (token, TLS) or a loaded machine: the answer's time is never early.
  const sent: { at: number }[] = [];
  let turn: Promise<void> = Promise.resolve();

  /** Waits, one sender at a time, until the minute's rate and the day's budget allow one more; else why not. */
  const slot = (): Promise<{ at: number } | 'dailyLimit' | 'timeBudget'> => {
    const mine = turn.then(async (): Promise<{ at: number } | 'dailyLimit' | 'timeBudget'> => {
      for (;;) {
        if (options.stop?.() === true) return 'timeBudget';
        const now = options.now().getTime();
        if (mailBudgetLeft(mailed, now, options.recipientsPerDay) === 0) return 'dailyLimit';
        const wait = mailWaitMs(sent.map((send) => send.at).sort((a, b) => a - b), now, exchangeMailLimits.messagesPerMinute);
        if (wait === 0) {
          const stamp = { at: now };
          sent.push(stamp);
          mailed.push(now);
          return stamp;
        }
        await sleep(wait);
      }
    });
    turn = mine.then(() => undefined);
    return mine;
  };

  const outcomes = await Promise.all(notices.map((notice) => limit(async (): Promise<NoticeMailOutcome> => {
    const address = notice.mail ?? null;
    if (address === null) return { userId: notice.userId, kind: 'noMailAddress' };
    const go = await slot();
    if (typeof go === 'string') return { userId: notice.userId, kind: 'deferred', reason: go };
    try {
      await sendNotice(options.gateway, { mailbox: options.mailbox, recipientAddress: address, enforceFrom: notice.enforceFrom }).finally(() => {
        go.at = Math.max(go.at, options.now().getTime());
      });
      return { userId: notice.userId, kind: 'mailed', at: options.now().toISOString() };
    } catch (error) {
      const failure = toRolloutError(error);
      options.logger?.event('notice.mailFailed', { userId: notice.userId, errorCode: failure.code, requestId: failure.requestId ?? null }, 'warn');
      return { userId: notice.userId, kind: 'failed', errorCode: failure.code, requestId: failure.requestId ?? null };
    }
  })));
  const deferred = outcomes.filter((outcome) => outcome.kind === 'deferred').length;
  if (deferred > 0) options.logger?.event('notice.mailDeferred', { counts: { deferred, mailed: outcomes.filter((outcome) => outcome.kind === 'mailed').length } }, 'warn');
  return outcomes;
}
