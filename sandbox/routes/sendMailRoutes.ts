import { graphErrors } from '../http/graphErrors.js';
import { graphPermissions } from '../auth/graphPermissions.js';
import { requestBody, routeParam, type GraphRoute } from '../http/graphRoute.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const addressPattern = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;
const recipientLists = ['toRecipients', 'ccRecipients', 'bccRecipients'] as const;

/** The addresses of one recipient list; 400 when the list or an entry is not `[{emailAddress:{address}}]`. */
function addressesOf(message: Record<string, unknown>, list: (typeof recipientLists)[number]): string[] {
  const recipients = message[list];
  if (recipients === undefined || recipients === null) return [];
  if (!Array.isArray(recipients)) throw graphErrors.mailPayloadInvalid(list);
  return recipients.map((recipient) => {
    const emailAddress = isRecord(recipient) ? recipient.emailAddress : undefined;
    const address = isRecord(emailAddress) ? emailAddress.address : undefined;
    if (typeof address !== 'string') throw graphErrors.mailPayloadInvalid(list);
    return address.trim();
  });
}

/** Checks the parts of a message the sandbox reads; the content itself is never looked at or kept. */
function checkMessage(message: Record<string, unknown>): void {
  if (message.subject !== undefined && message.subject !== null && typeof message.subject !== 'string') throw graphErrors.mailPayloadInvalid('subject');
  const body = message.body;
  if (body === undefined || body === null) return;
  if (!isRecord(body)) throw graphErrors.mailPayloadInvalid('body');
  if (body.contentType !== undefined && !(typeof body.contentType === 'string' && ['text', 'html'].includes(body.contentType.toLowerCase()))) {
    throw graphErrors.mailPayloadInvalid('contentType');
  }
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') throw graphErrors.mailPayloadInvalid('content');
}

/**
 * `POST /users/{id | UPN}/sendMail` (Mail.Send): 202 Accepted with no body, then Exchange's limits
 * (`mail/createMailboxes.ts`): at most 4 requests at once per app and mailbox (`mail/mailboxConcurrency.ts`), 30
 * messages a minute (the excess is delivered later), 10,000 recipients a day (then it bounces, still 202). The journal entry (`mail.send`) keeps
 * the sender and the recipient addresses, never the subject or the body. An unknown user is 404 `ErrorInvalidUser`;
 * an account without an Exchange Online mailbox (no `mail`: break-glass, the sync account; and guests) is 404
 * `MailboxNotEnabledForRESTAPI`.
 */
export const sendMailRoutes: readonly GraphRoute[] = [
  {
    method: 'POST',
    pattern: 'users/{userId}/sendMail',
    versions: ['v1.0', 'beta'],
    permissions: graphPermissions.sendMail,
    operation: 'mail.send',
    handle: (context) => {
      const idOrUpn = routeParam(context, 'userId');
      const sender = context.tenant.findUser(idOrUpn);
      if (sender === undefined) throw graphErrors.mailboxUserInvalid(idOrUpn);
      context.audit.userId = sender.id;
      if (sender.mail === null || sender.userType === 'Guest') throw graphErrors.mailboxNotEnabled();
      const body = requestBody(context);
      const message = body.message;
      if (message === undefined || message === null) throw graphErrors.mailMessageMissing();
      if (!isRecord(message)) throw graphErrors.mailPayloadInvalid('message');
      if (body.saveToSentItems !== undefined && typeof body.saveToSentItems !== 'boolean') throw graphErrors.mailPayloadInvalid('saveToSentItems');
      checkMessage(message);
      const [to, cc, bcc] = recipientLists.map((list) => addressesOf(message, list)) as [string[], string[], string[]];
      context.audit.detail.from = sender.mail;
      context.audit.detail.to = to;
      if (cc.length > 0) context.audit.detail.cc = cc;
      if (bcc.length > 0) context.audit.detail.bcc = bcc;
      if (to.length + cc.length + bcc.length === 0) throw graphErrors.mailNoRecipients();
      if (![...to, ...cc, ...bcc].every((address) => addressPattern.test(address))) throw graphErrors.mailRecipientUnresolved();
      // accepted for submission: Exchange delivers it (late past the minute's rate) or bounces it (past the day's recipients)
      const outcome = context.tenant.mail.submit(sender.mail, [...to, ...cc, ...bcc]);
      if (outcome.delayed) context.audit.detail.delayed = true;
      if (outcome.bounce !== null) context.audit.detail.bounced = true;
      return { status: 202 };
    },
  },
];
