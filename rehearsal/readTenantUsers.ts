import { Agent, fetch } from 'undici';
import type { TenantUserFacts } from '../sandbox/admin/tenantUsers.js';

/**
 * The sandbox tenant's users as Graph holds them, read through the admin API (`GET /_sandbox/tenantUsers`) over
 * HTTPS with the sandbox's certificate: what the rehearsal's outcome check compares the roster with, never the roster.
 */
export async function readTenantUsers(adminUrl: string, caPem: string): Promise<readonly TenantUserFacts[]> {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  try {
    const answer = await fetch(new URL('tenantUsers', adminUrl), { dispatcher });
    if (!answer.ok) throw new Error(`GET /_sandbox/tenantUsers answered ${answer.status}`);
    const body = (await answer.json()) as { users: TenantUserFacts[] };
    return body.users;
  } finally {
    await dispatcher.close();
  }
}
