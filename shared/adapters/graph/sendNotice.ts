import type { GraphGateway } from './graphGateway.js';
import { graphPermissions } from './graphPermissions.js';

export interface NoticeMail {
  readonly mailbox: string;
  /** The user's `mail` (SMTP address); never the UPN, which in hybrid tenants is often not an address. */
  readonly recipientAddress: string;
  /** When MFA starts to apply to the recipient (ISO). */
  readonly enforceFrom: string;
}

/**
 * Mails one announcement through Graph `sendMail` from the configured mailbox (send it through the mail gateway and
 * `mailNotices`, which keep to Exchange's limits). The text names the user's own date
 * (the night their wave is projected to run: never earlier, possibly a night or two later if the rollout slows
 * down, and no second mail is sent then) and what the user will see; it carries no phone number (the user is told
 * to check it in My Sign-Ins instead).
 */
export async function sendNotice(gateway: GraphGateway, notice: NoticeMail): Promise<void> {
  const date = new Date(notice.enforceFrom).toUTCString().slice(0, 16);
  await gateway.send({
    operation: 'mail.send',
    method: 'POST',
    version: 'v1.0',
    path: `/users/${encodeURIComponent(notice.mailbox)}/sendMail`,
    permission: graphPermissions.sendMail,
    body: {
      message: {
        subject: `Multi-factor authentication for your account from ${date}`,
        body: {
          contentType: 'Text',
          content: [
            `From ${date} (not before; it may be a day or two later), signing in to your work account will also ask for a second step: a code sent by text message to your work mobile number, which IT has already registered for you.`,
            'You do not need to set anything up. To check the number, visit https://mysignins.microsoft.com/security-info.',
            'If the number is wrong or you no longer have that phone, contact the service desk before that date.',
          ].join('\n\n'),
        },
        toRecipients: [{ emailAddress: { address: notice.recipientAddress } }],
      },
      saveToSentItems: false,
    },
  });
}
