import { describe, expect, it } from '@jest/globals';
import { mailBudgetLeft, mailWaitMs } from '../../shared/core/mailPacing.js';
import { mailNotices, type NoticeToMail } from '../../shared/shell/mailNotices.js';
import { useSandboxTenant } from '../helpers/sandboxTenant.js';

const tenant = useSandboxTenant({ users: 60, seed: 81 });

describe('mail pacing (pure)', () => {
  it('waits for the oldest of the last 30 sends to be a minute old (and 2 s), and counts the day in a rolling 24 hours', () => {
    const sends = Array.from({ length: 30 }, (_, index) => 1_000 + index * 100);
    expect(mailWaitMs(sends.slice(0, 29), 5_000, 30)).toBe(0);
    expect(mailWaitMs(sends, 5_000, 30)).toBe(1_000 + 62_000 - 5_000);
    expect(mailBudgetLeft([0, 1, 2, 86_400_400, 86_400_500], 86_400_500, 10)).toBe(8);
  });
});

describe('mailNotices: their own queue within Exchange limits', () => {
  /** The sandbox clock, which the queue's waits move (no test waits a real minute). */
  const clock = () => {
    const { sandbox } = tenant();
    return {
      now: () => sandbox.state.now(),
      sleep: async (ms: number) => {
        sandbox.controls.setNow(new Date(sandbox.state.now().getTime() + ms));
      },
    };
  };

  it('sends 30 in the first minute and the rest after it, never more than 4 at once, so Exchange neither delays nor refuses one; a user without mail is left for export', async () => {
    const { sandbox } = tenant();
    const { rollout } = await tenant().open();
    const mailbox = sandbox.state.users.find((user) => user.category === 'ready' && user.mail !== null)?.userPrincipalName ?? '';
    const notices: NoticeToMail[] = [
      ...Array.from({ length: 35 }, (_, index) => ({ userId: `u${index}`, mail: `person${index}@contoso.com`, enforceFrom: '2026-12-24T00:00:00Z' })),
      { userId: 'no-mail', mail: null, enforceFrom: '2026-12-24T00:00:00Z' },
    ];
    const journalBefore = sandbox.journal.entries().length;
    const started = sandbox.state.now().getTime();
    const outcomes = await mailNotices(notices, { gateway: rollout.ports.mailGateway, mailbox, mailedInLast24Hours: [], recipientsPerDay: 9_000, ...clock() });
    expect(outcomes.filter((outcome) => outcome.kind === 'mailed')).toHaveLength(35);
    expect(outcomes.find((outcome) => outcome.userId === 'no-mail')).toEqual({ userId: 'no-mail', kind: 'noMailAddress' });
    const sends = sandbox.journal.entries().slice(journalBefore).filter((entry) => entry.operation === 'mail.send');
    expect(sends.map((entry) => entry.status)).toEqual(Array(35).fill(202));
    const accepted = sandbox.state.mail.messages().filter((record) => record.recipients[0]?.startsWith('person'));
    expect(accepted.filter((record) => record.delayed)).toEqual([]);
    expect(Date.parse(accepted[30]?.submittedAt ?? '') - started).toBeGreaterThanOrEqual(60_000);
    expect(rollout.ports.gateway.stats.calls).toBe(0);
  });

  it('counts a message from when Exchange can have had it: first sends that reach it 3 s late do not make the 31st early', async () => {
    const { sandbox } = tenant();
    const { rollout } = await tenant().open();
    sandbox.state.mail.configure({ reset: true });
    const mailbox = sandbox.state.users.find((user) => user.category === 'ready' && user.mail !== null)?.userPrincipalName ?? '';
    const notices: NoticeToMail[] = Array.from({ length: 32 }, (_, index) => ({ userId: `late${index}`, mail: `late${index}@contoso.com`, enforceFrom: '2026-12-24T00:00:00Z' }));
    // the first four (all that may be in flight) arrive 3 s after their slots, as behind a first request's token and
    // TLS on a loaded machine: more than the 2 s the pacing keeps in hand, so counting from a slot's own time would let
    // the 31st arrive inside the first's minute (Exchange then delivers it late)
    const fault = sandbox.traffic.addFault({ kind: 'latency', minMs: 3_000, maxMs: 3_000, operations: ['mail.send'], count: 4 });
    try {
      const outcomes = await mailNotices(notices, { gateway: rollout.ports.mailGateway, mailbox, mailedInLast24Hours: [], recipientsPerDay: 9_000, ...clock() });
      expect(outcomes.filter((outcome) => outcome.kind === 'mailed')).toHaveLength(32);
    } finally {
      sandbox.traffic.removeFault(fault.id);
    }
    const accepted = sandbox.state.mail.messages().filter((record) => record.recipients[0]?.startsWith('late'));
    expect(accepted).toHaveLength(32);
    expect(accepted.filter((record) => record.delayed)).toEqual([]);
  });

  it('defers what the daily budget (or the night) does not allow: a later night mails it', async () => {
    const { sandbox } = tenant();
    const { rollout } = await tenant().open();
    const mailbox = sandbox.state.users.find((user) => user.category === 'ready' && user.mail !== null)?.userPrincipalName ?? '';
    const notices = Array.from({ length: 5 }, (_, index) => ({ userId: `d${index}`, mail: `day${index}@contoso.com`, enforceFrom: '2026-12-24T00:00:00Z' }));
    const recent = [new Date(sandbox.state.now().getTime() - 3_600_000).toISOString()];
    const budget = await mailNotices(notices, { gateway: rollout.ports.mailGateway, mailbox, mailedInLast24Hours: recent, recipientsPerDay: 3, ...clock() });
    expect(budget.map((outcome) => outcome.kind)).toEqual(['mailed', 'mailed', 'deferred', 'deferred', 'deferred']);
    expect(budget.at(-1)).toMatchObject({ kind: 'deferred', reason: 'dailyLimit' });
    const night = await mailNotices(notices, { gateway: rollout.ports.mailGateway, mailbox, mailedInLast24Hours: [], recipientsPerDay: 9_000, stop: () => true, ...clock() });
    expect(night.every((outcome) => outcome.kind === 'deferred' && outcome.reason === 'timeBudget')).toBe(true);
  });
});
