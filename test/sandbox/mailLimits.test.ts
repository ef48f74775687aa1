import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MailRecord } from '../../sandbox/mail/createMailboxes.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const start = '2026-07-01T09:00:00.000Z';
const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const notice = (to: string) => ({ message: { subject: 'MFA', body: { contentType: 'Text', content: 'soon' }, toRecipients: [{ emailAddress: { address: to } }] }, saveToSentItems: false });

describe("Exchange Online's limits on sendMail (per app and mailbox)", () => {
  let t: TestSandbox;
  const mailbox = (index: number) => t.sandbox.state.users.filter((user) => user.category === 'ready' && user.mail !== null)[index]?.id ?? '';
  const send = (from: string, to = 'someone@contoso.com') => rawGraph(t, `/v1.0/users/${from}/sendMail`, { body: notice(to) });
  const messages = async () => ((await t.raw('/_sandbox/mail')).json as { messages: MailRecord[] }).messages;

  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 71, clock: () => new Date(start), faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it("answers the fifth concurrent request to one mailbox 429 ApplicationThrottled ('MailboxConcurrency'); another mailbox is not affected", async () => {
    const fault = t.sandbox.traffic.addFault({ kind: 'latency', minMs: 400, maxMs: 400, operations: ['mail.send'], count: 6 });
    try {
      const answers = await Promise.all([...Array.from({ length: 5 }, () => send(mailbox(0))), send(mailbox(1))]);
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.slice(0, 5).sort()).toEqual([202, 202, 202, 202, 429]);
      expect(statuses[5]).toBe(202);
      const refused = answers.find((answer) => answer.status === 429);
      expect((refused?.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'ApplicationThrottled', message: 'Application is over its MailboxConcurrency limit.' });
    } finally {
      t.sandbox.traffic.removeFault(fault.id);
    }
  });

  it('runs the Outlook items of one $batch at most 4 at a time, as Graph does: twelve mails in a batch all go', async () => {
    const fault = t.sandbox.traffic.addFault({ kind: 'latency', minMs: 100, maxMs: 100, operations: ['mail.send'], count: 12 });
    try {
      const requests = Array.from({ length: 12 }, (_, index) => ({ id: String(index), method: 'POST', url: `/users/${mailbox(2)}/sendMail`, headers: { 'Content-Type': 'application/json' }, body: notice(`r${index}@contoso.com`) }));
      const answer = (await rawGraph(t, '/v1.0/$batch', { body: { requests } })).json as { responses: { status: number }[] };
      expect(answer.responses.map((item) => item.status)).toEqual(Array(12).fill(202));
    } finally {
      t.sandbox.traffic.removeFault(fault.id);
    }
  });

  it('accepts more than 30 messages a minute and delivers the excess in later minutes (no error)', async () => {
    await t.raw('/_sandbox/mail', json({ reset: true }));
    const from = mailbox(3);
    for (let i = 0; i < 40; i += 1) expect((await send(from, `n${i}@contoso.com`)).status).toBe(202);
    const sent = (await messages()).filter((record) => record.recipients[0]?.startsWith('n'));
    expect(sent).toHaveLength(40);
    expect(sent.filter((record) => record.delayed)).toHaveLength(10);
    for (const record of sent.slice(30)) expect(Date.parse(record.deliveredAt ?? '') - Date.parse(record.submittedAt)).toBe(60_000);
    expect(t.sandbox.journal.entries().filter((entry) => entry.operation === 'mail.send' && entry.detail['delayed'] === true)).toHaveLength(10);
  });

  it('past the daily recipients, still answers 202 but bounces every message to the sender (listed by the admin API) until 24 hours have passed', async () => {
    await t.raw('/_sandbox/mail', json({ recipientsPerDay: 3, reset: true }));
    try {
      const from = mailbox(0);
      for (let i = 0; i < 5; i += 1) expect((await send(from, `d${i}@contoso.com`)).status).toBe(202);
      const bounced = (await messages()).filter((record) => record.bounce !== null);
      expect(bounced.map((record) => record.recipients[0])).toEqual(['d3@contoso.com', 'd4@contoso.com']);
      expect(bounced[0]).toMatchObject({ deliveredAt: null, bounce: expect.stringMatching(/^550 5\.1\.90 .*daily limit for message recipients/) });
      t.sandbox.controls.setNow(new Date(Date.parse(start) + 86_400_000 + 1_000));
      expect((await send(from, 'next-day@contoso.com')).status).toBe(202);
      expect((await messages()).at(-1)).toMatchObject({ bounce: null, deliveredAt: expect.any(String) });
    } finally {
      await t.raw('/_sandbox/mail', json({ recipientsPerDay: 10_000, reset: true }));
      t.sandbox.controls.setNow(new Date(start));
    }
  });

  it('validates the limits it is given', async () => {
    const bad = await t.raw('/_sandbox/mail', json({ concurrency: 0 }));
    expect([bad.status, (bad.json as { error: { message: string } }).error.message]).toEqual([400, "mail: expected 'concurrency' to be a whole number of 1 or more"]);
  });
});
