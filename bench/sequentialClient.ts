import { ResponseType } from '@microsoft/microsoft-graph-client';
import type { GraphConnection } from '../shared/adapters/graph/graphClient.js';
import { mobileMethodId } from '../shared/adapters/graph/userAuthentication.js';
import { classifyMobile } from '../shared/core/classifyMobile.js';

export interface SequentialRun {
  readonly users: number;
  readonly seconds: number;
  readonly calls: number;
  readonly writes: number;
  readonly throttled: number;
  readonly failedUsers: number;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

export interface SequentialOptions {
  readonly seconds: number;
  readonly region: string;
  /** perUserMfa: read and set the per-user state; conditionalAccessGroup: add the user to `mfaGroupId`. */
  readonly strategy: 'perUserMfa' | 'conditionalAccessGroup';
  readonly mfaGroupId: string;
}

/**
 * What a typical PowerShell script does (a `foreach` over users with `Invoke-MgGraphRequest`): one call at a time,
 * read the synced mobile and the methods (and the per-user MFA state), then register the mobile phone method and
 * enforce MFA (the per-user state, or the MFA group) where needed. Like the Graph PowerShell SDK it waits for
 * Retry-After on 429/503/504 (up to 3 times). No batching, no concurrency, no tables. Stops starting new users after
 * `seconds`.
 */
export async function runSequentialClient(connection: GraphConnection, userIds: readonly string[], options: SequentialOptions): Promise<SequentialRun> {
  const counts = { users: 0, calls: 0, writes: 0, throttled: 0, failedUsers: 0 };
  const call = async (method: 'GET' | 'POST' | 'PATCH', version: 'v1.0' | 'beta', path: string, body?: unknown): Promise<Answer> => {
    for (let retry = 0; ; retry += 1) {
      counts.calls += 1;
      if (method !== 'GET') counts.writes += 1;
      const request = connection.client.api(path).version(version).responseType(ResponseType.RAW);
      const response = (await (method === 'GET' ? request.get() : method === 'POST' ? request.post(body) : request.patch(body))) as Response;
      const text = await response.text();
      if ([429, 503, 504].includes(response.status) && retry < 3) {
        if (response.status === 429) counts.throttled += 1;
        const seconds = Number(response.headers.get('retry-after') ?? '3');
        await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(seconds) ? seconds : 3) * 1000));
        continue;
      }
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    }
  };

  const started = performance.now();
  for (const userId of userIds) {
    if (performance.now() - started >= options.seconds * 1000) break;
    const user = await call('GET', 'v1.0', `/users/${userId}?$select=id,mobilePhone`);
    const methods = await call('GET', 'v1.0', `/users/${userId}/authentication/phoneMethods`);
    const perUser = options.strategy === 'perUserMfa';
    const requirements = perUser ? await call('GET', 'beta', `/users/${userId}/authentication/requirements`) : { status: 200, body: null };
    const mobile = classifyMobile((user.body as { mobilePhone?: string | null } | null)?.mobilePhone ?? null, options.region);
    const hasMobile = ((methods.body as { value?: { id: string }[] } | null)?.value ?? []).some((method) => method.id === mobileMethodId);
    let ok = user.status === 200 && methods.status === 200 && requirements.status === 200 && mobile.graphNumber !== undefined;
    if (ok && !hasMobile) ok = (await call('POST', 'v1.0', `/users/${userId}/authentication/phoneMethods`, { phoneNumber: mobile.graphNumber, phoneType: 'mobile' })).status === 201;
    if (ok && perUser && (requirements.body as { perUserMfaState?: string } | null)?.perUserMfaState !== 'enforced') {
      ok = (await call('PATCH', 'beta', `/users/${userId}/authentication/requirements`, { perUserMfaState: 'enforced' })).status === 204;
    }
    if (ok && !perUser) {
      ok = (await call('POST', 'v1.0', `/groups/${options.mfaGroupId}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${userId}` })).status === 204;
    }
    counts.users += ok ? 1 : 0;
    counts.failedUsers += ok ? 0 : 1;
  }
  return { ...counts, seconds: (performance.now() - started) / 1000 };
}
