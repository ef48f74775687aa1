/**
 * Exchange Online's sending limits per mailbox, as the sandbox enforces them (docs/graph-behaviour.md#mail). Every
 * limit can be changed; times are the sandbox clock.
 */
export interface MailLimits {
  /** Concurrent `sendMail` requests per app and mailbox; one more is 429 `ApplicationThrottled` (default 4). */
  readonly concurrency: number;
  /** Messages a mailbox submits per minute before the excess is delivered in later minutes (default 30). */
  readonly messagesPerMinute: number;
  /** Recipients in any 24 hours; past it the mailbox cannot send and the message bounces to the sender (default 10,000). */
  readonly recipientsPerDay: number;
}

export const defaultMailLimits: MailLimits = { concurrency: 4, messagesPerMinute: 30, recipientsPerDay: 10_000 };

/** One message `sendMail` accepted (202): who sent it to whom, and what Exchange did with it. Never a subject or a body. */
export interface MailRecord {
  readonly from: string;
  readonly recipients: readonly string[];
  readonly submittedAt: string;
  /** When it was (or will be) delivered: later than submitted when the minute's rate was exceeded. Null: not delivered. */
  readonly deliveredAt: string | null;
  /** Delivered later than submitted because of the messages-per-minute limit. */
  readonly delayed: boolean;
  /** The non-delivery report the sender got instead, e.g. the daily recipient limit's `550 5.1.90`. */
  readonly bounce: string | null;
}

export interface Mailboxes {
  limits(): MailLimits;
  /** Any subset of MailLimits (RangeError naming a bad field); `reset: true` also forgets every message. */
  configure(change: unknown): MailLimits;
  /** A message `sendMail` accepted from `from` (the sender's address): queued, delayed or bounced as Exchange would. */
  submit(from: string, recipients: readonly string[]): MailRecord;
  /** Every accepted message, oldest first. */
  messages(): readonly MailRecord[];
}

const dayMs = 86_400_000;
const minuteMs = 60_000;
/** The NDR Exchange Online sends past the daily recipient limit (docs/graph-behaviour.md#mail, observed). */
const dailyLimitBounce = "550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients.";

/**
 * Mailboxes as Exchange Online treats them: a message over the per-minute rate is accepted and delivered in a later
 * minute (no error); past the daily recipients the mailbox stops sending and every message bounces to the sender, while
 * `sendMail` still answers 202 — the assumption the docs leave open (what Graph answers then is not documented).
 */
export function createMailboxes(now: () => Date): Mailboxes {
  let limits = defaultMailLimits;
  let records: MailRecord[] = [];
  const deliveries = new Map<string, number[]>();

  return {
    limits: () => limits,
    configure: (change) => {
      if (typeof change !== 'object' || change === null || Array.isArray(change)) throw new RangeError('mail: expected an object of mail limits');
      const next: Record<string, number> = { ...limits };
      for (const [key, value] of Object.entries(change as Record<string, unknown>)) {
        if (key === 'reset') continue;
        if (!(key in defaultMailLimits)) throw new RangeError(`mail: unknown field '${key}'; expected ${Object.keys(defaultMailLimits).join(', ')}`);
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new RangeError(`mail: expected '${key}' to be a whole number of 1 or more`);
        next[key] = value;
      }
      limits = next as unknown as MailLimits;
      if ((change as { reset?: unknown }).reset === true) {
        records = [];
        deliveries.clear();
      }
      return limits;
    },
    submit: (from, recipients) => {
      const at = now().getTime();
      const key = from.toLowerCase();
      const sentToday = records.filter((record) => record.from.toLowerCase() === key && record.bounce === null && Date.parse(record.submittedAt) > at - dayMs).reduce((sum, record) => sum + record.recipients.length, 0);
      let record: MailRecord;
      if (sentToday + recipients.length > limits.recipientsPerDay) {
        record = { from, recipients: [...recipients], submittedAt: new Date(at).toISOString(), deliveredAt: null, delayed: false, bounce: dailyLimitBounce };
      } else {
        // the n-th message of a minute beyond the rate goes out a minute after the message `rate` places before it
        const times = deliveries.get(key) ?? [];
        const earlier = times[times.length - limits.messagesPerMinute];
        const deliverAt = earlier === undefined ? at : Math.max(at, earlier + minuteMs);
        times.push(deliverAt);
        deliveries.set(key, times.length > 4 * limits.messagesPerMinute ? times.slice(-2 * limits.messagesPerMinute) : times);
        record = { from, recipients: [...recipients], submittedAt: new Date(at).toISOString(), deliveredAt: new Date(deliverAt).toISOString(), delayed: deliverAt > at, bounce: null };
      }
      records.push(record);
      return record;
    },
    messages: () => records,
  };
}
