import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { UserCategory } from '../../sandbox/tenant/tenantModel.js';
import { caught, failureOf } from './helpers/caught.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { rawGraph } from './helpers/rawGraph.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const subject = 'MFA starts on Monday';
const content = 'Hello, from Monday you will be asked for a second factor. Your number +46 701234567 is registered.';
const message = (to: string[]) => ({
  subject,
  body: { contentType: 'Text', content },
  toRecipients: to.map((address) => ({ emailAddress: { address } })),
});

describe('sendMail', () => {
  let t: TestSandbox;
  const one = (category: UserCategory, index = 0) => {
    const user = t.sandbox.manifest.users.filter((candidate) => candidate.category === category)[index];
    if (user === undefined) throw new Error(`no ${category} user`);
    return user;
  };
  const lastSeq = (): number => t.sandbox.journal.entries().at(-1)?.seq ?? 0;

  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 61, faults: { latency: false } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a message with 202 and no body, and journals sender and recipients but never the subject or body', async () => {
    const sender = one('serviceAccount', 1);
    const recipients = [one('ready', 0).upn, one('ready', 1).upn];
    const before = lastSeq();
    const answer = await rawGraph(t, `/v1.0/users/${encodeURIComponent(sender.upn)}/sendMail`, { body: { message: message(recipients), saveToSentItems: false } });
    expect([answer.status, answer.text]).toEqual([202, '']);
    await t.client.api(`/users/${sender.id}/sendMail`).post({ message: { ...message([recipients[0] ?? '']), ccRecipients: [{ emailAddress: { address: 'it@contoso.com' } }] } });
    const entries = t.sandbox.journal.entries(before);
    expect(entries.map((entry) => [entry.method, entry.operation, entry.status, entry.userId, entry.detail])).toEqual([
      ['POST', 'mail.send', 202, sender.id, { from: sender.upn, to: recipients }],
      ['POST', 'mail.send', 202, sender.id, { from: sender.upn, to: [recipients[0]], cc: ['it@contoso.com'] }],
    ]);
    const text = JSON.stringify(entries);
    for (const secret of [subject, content, '701234567']) expect(text).not.toContain(secret);
  });

  it('refuses a message without recipients or with an address that does not resolve (400 ErrorInvalidRecipients)', async () => {
    const path = `/users/${one('serviceAccount', 1).id}/sendMail`;
    expect(await failureOf(t.client.api(path).post({ message: message([]) }))).toEqual([
      400,
      'ErrorInvalidRecipients',
      "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
    ]);
    const unresolved = await caught(t.client.api(path).post({ message: message(['not an address']) }));
    expect([unresolved.statusCode, unresolved.code]).toEqual([400, 'ErrorInvalidRecipients']);
    expect(unresolved.message).not.toContain('not an address');
  });

  it('refuses a malformed request body with 400', async () => {
    const path = `/users/${one('serviceAccount', 1).id}/sendMail`;
    expect(await failureOf(t.client.api(path).post({ saveToSentItems: false }))).toEqual([400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty."]);
    for (const body of [
      { message: 'hello' },
      { message: { ...message(['a@contoso.com']), body: { contentType: 'markdown', content } } },
      { message: { ...message(['a@contoso.com']), toRecipients: 'a@contoso.com' } },
      { message: { ...message([]), toRecipients: [{ address: 'a@contoso.com' }] } },
      { message: message(['a@contoso.com']), saveToSentItems: 'no' },
    ]) {
      const refused = await caught(t.client.api(path).post(body));
      expect([refused.statusCode, refused.code]).toEqual([400, 'RequestBodyRead']);
    }
  });

  it('answers 404 ErrorInvalidUser for an unknown sender and MailboxNotEnabledForRESTAPI for an account without a mailbox', async () => {
    expect(await failureOf(t.client.api('/users/nobody@contoso.com/sendMail').post({ message: message(['a@contoso.com']) }))).toEqual([
      404,
      'ErrorInvalidUser',
      "The requested user 'nobody@contoso.com' is invalid.",
    ]);
    for (const sender of [t.sandbox.manifest.breakGlass[0]?.id ?? '', one('guest').id]) {
      const noMailbox = await caught(t.client.api(`/users/${sender}/sendMail`).post({ message: message(['a@contoso.com']) }));
      expect([noMailbox.statusCode, noMailbox.code]).toEqual([404, 'MailboxNotEnabledForRESTAPI']);
    }
  });

  it('needs Mail.Send in the token', async () => {
    try {
      t.sandbox.controls.setRoles(defaultAppRoles.filter((role) => role !== 'Mail.Send'));
      const denied = await withFreshClient(t, (client) => caught(client.api(`/users/${one('ready').id}/sendMail`).post({ message: message(['a@contoso.com']) })));
      expect([denied.statusCode, denied.code]).toEqual([403, 'Authorization_RequestDenied']);
    } finally {
      t.sandbox.controls.setRoles(defaultAppRoles);
    }
  });
});
