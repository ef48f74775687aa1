import { z } from 'zod';
import { RolloutError } from '../errors/RolloutError.js';

/** One tenant's night on the queue (docs: README "Many tenants"): what the fan-out enqueues and `tenantNight` runs. */
export interface TenantNightMessage {
  /** Directory (tenant) id, lower case. */
  readonly tenantId: string;
  /** The tenant's night, `YYYY-MM-DD` (`nightOf`). */
  readonly night: string;
  /** When the fan-out enqueued it (ISO instant). */
  readonly enqueuedAt: string;
}

const messageSchema = z.strictObject({
  tenantId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
  night: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((text) => {
    const time = Date.parse(`${text}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
  }),
  enqueuedAt: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
});

/**
 * The message as the host hands it over (base64 decoded, JSON parsed), checked whole before anything runs:
 * TENANT_MESSAGE_INVALID names the fields at fault, never their values.
 */
export function parseTenantNightMessage(message: unknown): TenantNightMessage {
  const result = messageSchema.safeParse(message);
  if (result.success) return { ...result.data, tenantId: result.data.tenantId.toLowerCase() };
  const fields = [...new Set(result.error.issues.map((issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.path.length === 0 ? 'the message as a whole' : String(issue.path[0]))))];
  throw new RolloutError('TENANT_MESSAGE_INVALID', `The tenant-night message is not {"tenantId":"<guid>","night":"YYYY-MM-DD","enqueuedAt":"<ISO instant>"} (at fault: ${fields.join('; ')})`);
}

/** The queue's text of a message: base64 of its JSON, as host.json `messageEncoding: base64` expects. */
export function encodeTenantNightMessage(message: TenantNightMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}
