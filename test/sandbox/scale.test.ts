import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface Page {
  value: { id: string }[];
  '@odata.nextLink'?: string;
}

describe('a 100,000-user tenant', () => {
  let t: TestSandbox;
  let startMs = 0;
  beforeAll(async () => {
    const started = performance.now();
    t = await startTestSandbox({ users: 100_000, seed: 2 });
    startMs = performance.now() - started;
  }, 30_000);
  afterAll(async () => {
    await t.close();
  });

  it('starts within seconds and serves deep pages as fast as the first', async () => {
    expect(startMs).toBeLessThan(10_000);
    expect(t.sandbox.manifest.users).toHaveLength(100_000);
    const timings: number[] = [];
    let page = (await t.client.api('/users').select(['id', 'mobilePhone']).top(999).get()) as Page;
    for (let hop = 0; hop < 5; hop += 1) {
      const started = performance.now();
      page = (await t.client.api(page['@odata.nextLink'] ?? '').get()) as Page;
      timings.push(performance.now() - started);
    }
    expect(page.value[0]?.id).toBe(t.sandbox.manifest.users[5 * 999]?.id);
    expect(Math.max(...timings)).toBeLessThan(1_000);
    const last = t.sandbox.manifest.users.at(-1);
    const byUpn = (await t.client.api(`/users/${encodeURIComponent(last?.upn ?? '')}`).select(['id']).get()) as { id: string };
    expect(byUpn.id).toBe(last?.id);
  });
});
