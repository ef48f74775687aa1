import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Page {
  value: { id: string }[];
  '@odata.nextLink'?: string;
}

// How fast the sandbox starts and pages at this size is measured by `npm run bench` (roster refresh of
// 100,000 users), not asserted here: tests check outcomes, never timings.
describe('a 100,000-user tenant', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 100_000, seed: 2 });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('is generated whole and pages deep into it in order, by absolute next links', async () => {
    expect(t.sandbox.manifest.users).toHaveLength(100_000);
    let page = (await t.client.api('/users').select(['id', 'mobilePhone']).top(999).get()) as Page;
    expect(page.value).toHaveLength(999);
    for (let hop = 0; hop < 5; hop += 1) page = (await t.client.api(page['@odata.nextLink'] ?? '').get()) as Page;
    expect(page.value).toHaveLength(999);
    expect(page.value[0]?.id).toBe(t.sandbox.manifest.users[5 * 999]?.id);
    const last = t.sandbox.manifest.users.at(-1);
    const byUpn = (await t.client.api(`/users/${encodeURIComponent(last?.upn ?? '')}`).select(['id']).get()) as { id: string };
    expect(byUpn.id).toBe(last?.id);
  });
});
