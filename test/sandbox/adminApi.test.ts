import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { defaultAppRoles } from '../../sandbox/auth/graphPermissions.js';
import type { JournalEntry } from '../../sandbox/stats/journal.js';
import { runSandboxCli } from '../../sandbox/admin/sandboxCli.js';
import type { SandboxManifest } from '../../sandbox/tenant/tenantModel.js';
import { withFreshClient } from './helpers/connectFresh.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

const json = (body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('admin API and journal', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ users: 60, seed: 9, clock: () => new Date('2026-05-04T10:00:00Z') });
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the manifest without a token', async () => {
    const answer = await t.raw('/_sandbox/manifest');
    expect(answer.status).toBe(200);
    const manifest = answer.json as SandboxManifest;
    expect(manifest).toEqual(JSON.parse(JSON.stringify(t.sandbox.manifest)));
    expect(manifest).toMatchObject({ tenantId: t.sandbox.tenantId, seed: 9, size: 60, homeCountry: 'SE' });
    expect(manifest.users).toHaveLength(60);
    expect(manifest.users[0]).toEqual({ id: expect.any(String), upn: expect.any(String), category: expect.any(String) });
    expect(Object.values(manifest.counts).reduce((sum, n) => sum + n, 0)).toBe(60);
  });

  it('moves the clock, which /organization follows', async () => {
    expect((await t.raw('/_sandbox/clock')).json).toEqual({ now: '2026-05-04T10:00:00.000Z' });
    const moved = await t.raw('/_sandbox/clock', json({ now: '2026-06-01T00:00:00Z' }));
    expect(moved.json).toEqual({ now: '2026-06-01T00:00:00.000Z' });
    expect(t.sandbox.state.now().toISOString()).toBe('2026-06-01T00:00:00.000Z');
    const organization = (await t.client.api('/organization').get()) as { value: { onPremisesLastSyncDateTime: string }[] };
    expect(organization.value[0]?.onPremisesLastSyncDateTime).toBe('2026-05-31T23:40:00Z');
    expect((await t.raw('/_sandbox/clock', json({ now: 'yesterday' }))).status).toBe(400);
  });

  it('sets the directory-sync fields of /organization', async () => {
    const off = await t.raw('/_sandbox/organization', json({ onPremisesSyncEnabled: null, onPremisesLastSyncDateTime: null }));
    expect(off.json).toEqual({ onPremisesSyncEnabled: null, onPremisesLastSyncDateTime: null });
    const organization = (await t.client.api('/organization').select(['onPremisesSyncEnabled', 'onPremisesLastSyncDateTime']).get()) as { value: unknown[] };
    expect(organization.value[0]).toEqual({ onPremisesSyncEnabled: null, onPremisesLastSyncDateTime: null });
    const stale = await t.raw('/_sandbox/organization', json({ onPremisesSyncEnabled: true, lastSyncAgeMinutes: 26 * 60 }));
    expect(stale.json).toEqual({ onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: '2026-05-30T22:00:00Z' });
    const bad = await t.raw('/_sandbox/organization', json({ onPremisesSyncEnabled: 'yes' }));
    expect([bad.status, (bad.json as { error: { code: string } }).error.code]).toEqual([400, 'BadRequest']);
  });

  it('changes the app roles, which tokens issued afterwards carry', async () => {
    const set = await t.raw('/_sandbox/roles', json({ roles: ['Organization.Read.All'] }));
    expect(set.json).toEqual({ roles: ['Organization.Read.All'] });
    // The roles travel in the token: a new credential gets a token with the new roles.
    await withFreshClient(t, async (client) => {
      await expect(client.api('/users').get()).rejects.toMatchObject({ statusCode: 403, code: 'Authorization_RequestDenied' });
      await expect(client.api('/organization').get()).resolves.toMatchObject({ value: [expect.any(Object)] });
    });
    const restored = await t.raw('/_sandbox/roles', json({ roles: defaultAppRoles }));
    expect(restored.status).toBe(200);
    expect((await t.raw('/_sandbox/roles', json({ roles: 'everything' }))).status).toBe(400);
  });

  it('journals every write with outcome and resolved user, never the phone number, and pages with ?since', async () => {
    const [first, second] = t.sandbox.manifest.users.filter((user) => user.category === 'ready');
    if (first === undefined || second === undefined) throw new Error('not enough ready users');
    const before = (await t.raw('/_sandbox/journal')).json as { entries: JournalEntry[]; lastSeq: number };
    const phones = `/users/${encodeURIComponent(first.upn)}/authentication/phoneMethods`;
    await t.client.api(phones).post({ phoneNumber: '+46 701234599', phoneType: 'mobile' });
    await expect(t.client.api(phones).post({ phoneNumber: '+46 701234598', phoneType: 'mobile' })).rejects.toMatchObject({ statusCode: 400 });
    await t.client.api(`/users/${second.id}/authentication/requirements`).version('beta').patch({ perUserMfaState: 'enforced' });
    await expect(t.client.api('/users/nobody@contoso.com/authentication/requirements').version('beta').patch({ perUserMfaState: 'enabled' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(t.client.api(`/users/${second.id}/authentication/requirements`).patch({ perUserMfaState: 'enabled' })).rejects.toMatchObject({ statusCode: 400 });

    const answer = (await t.raw(`/_sandbox/journal?since=${before.lastSeq}`)).json as { entries: JournalEntry[]; lastSeq: number };
    expect(answer.entries.map((entry) => [entry.method, entry.operation, entry.status, entry.userId])).toEqual([
      ['POST', 'phoneMethods.create', 201, first.id],
      ['POST', 'phoneMethods.create', 400, first.id],
      ['PATCH', 'requirements.update', 204, second.id],
      ['PATCH', 'requirements.update', 404, null],
      ['PATCH', 'unknown', 400, null],
    ]);
    expect(answer.entries[0]).toMatchObject({ seq: before.lastSeq + 1, path: `/v1.0${phones}`, detail: { phoneType: 'mobile' }, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(answer.entries[1]?.detail).toEqual({ phoneType: 'mobile', errorCode: 'invalidRequest' });
    expect(answer.entries[2]?.detail).toEqual({ requested: 'enforced', perUserMfaState: 'enforced' });
    expect(Date.parse(answer.entries[0]?.at ?? '')).toBeGreaterThan(Date.parse('2026-05-05T00:00:00Z') - 365 * 24 * 3600 * 1000);
    expect(answer.lastSeq).toBe(before.lastSeq + 5);
    expect(JSON.stringify(answer)).not.toMatch(/70123459/);
    expect(t.sandbox.journal.entries(before.lastSeq)).toEqual(answer.entries);
  });


  it('calls onWrite listeners with each write as it is journaled, after the tenant applied it, until stopped', async () => {
    const [, , third] = t.sandbox.manifest.users.filter((user) => user.category === 'ready');
    if (third === undefined) throw new Error('not enough ready users');
    const seen: [string, number, string][] = [];
    const stop = t.sandbox.journal.onWrite((entry) => seen.push([entry.operation, entry.status, t.sandbox.state.perUserMfaState(third.id)]));
    const requirements = t.client.api(`/users/${third.id}/authentication/requirements`).version('beta');
    await requirements.patch({ perUserMfaState: 'enforced' });
    await t.client.api('/organization').get();
    stop();
    await requirements.patch({ perUserMfaState: 'disabled' });
    expect(seen).toEqual([['requirements.update', 204, 'enforced']]);
    expect(t.sandbox.journal.entries().at(-1)?.detail).toMatchObject({ perUserMfaState: 'disabled' });
  });
  it('counts requests by route family, method and status', async () => {
    type Counters = { total: number; byRoute: Record<string, number>; byStatus: Record<string, number>; byMethod: Record<string, number> };
    const read = async (): Promise<Counters> => (await t.raw('/_sandbox/counters')).json as Counters;
    const before = await read();
    await t.client.api('/organization').get();
    await t.raw('/beta/users/x/authentication/requirements', { method: 'PATCH', body: '{}' });
    await t.raw('/nowhere');
    const after = await read();
    const delta = (table: keyof Omit<Counters, 'total'>, key: string): number => (after[table][key] ?? 0) - (before[table][key] ?? 0);
    expect(after.total - before.total).toBe(3);
    expect(delta('byRoute', 'GET /v1.0/organization')).toBe(1);
    expect(delta('byRoute', 'PATCH /beta/users/{userId}/authentication/requirements')).toBe(1);
    expect(delta('byRoute', 'GET (unmatched)')).toBe(1);
    expect([delta('byStatus', '200'), delta('byStatus', '401'), delta('byStatus', '404')]).toEqual([1, 1, 1]);
    expect(after.byRoute['POST /{tenant}/oauth2/v2.0/token']).toBeGreaterThanOrEqual(1);
    expect(after.byRoute['GET /{tenant}/v2.0/.well-known/openid-configuration']).toBeGreaterThanOrEqual(1);
    expect(after.total).toBe(Object.values(after.byMethod).reduce((sum, n) => sum + n, 0));
  });

  it('keeps admin operations off the Graph paths and answers unknown ones with 404', async () => {
    expect((await t.raw('/v1.0/_sandbox/manifest')).status).toBe(401);
    const unknown = await t.raw('/_sandbox/reset', { method: 'POST' });
    expect([unknown.status, (unknown.json as { error: { code: string } }).error.code]).toEqual([404, 'NotFound']);
    expect((await t.raw('/_sandbox/journal?since=-1')).status).toBe(400);
  });
});

describe('sandbox CLI', () => {
  it('prints one JSON ready line on stdout, guidance on stderr, and writes the CA file', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const running = await runSandboxCli(['--users', '30', '--seed', '7', '--port', '0'], { stdout: (line) => out.push(line), stderr: (line) => err.push(line) });
    try {
      expect(out).toHaveLength(1);
      const ready = JSON.parse(out[0] ?? '') as Record<string, unknown>;
      expect(Object.keys(ready).sort()).toEqual(['adminUrl', 'caFile', 'clientId', 'clientSecret', 'ready', 'tenantId', 'url']);
      expect(ready).toMatchObject({ ready: true, url: running.sandbox.url, tenantId: running.sandbox.tenantId, adminUrl: `${running.sandbox.origin}/_sandbox/` });
      expect(await readFile(String(ready.caFile), 'utf8')).toBe(running.sandbox.caPem);
      const guidance = err.join('\n');
      for (const name of ['MFA_GRAPH_BASE_URL', 'MFA_AUTHORITY_HOST', 'MFA_AUTH_MODE=clientSecret', 'MFA_TENANT_ID', 'MFA_CLIENT_ID', 'MFA_CLIENT_SECRET', 'MFA_EXTRA_CA_FILE']) {
        expect(guidance).toContain(name);
      }
      expect(running.sandbox.manifest).toMatchObject({ size: 30, seed: 7 });
    } finally {
      await running.stop();
    }
    await expect(readFile(running.caFile, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a bad option without starting anything', async () => {
    const err: string[] = [];
    await expect(runSandboxCli(['--users', 'many'], { stdout: () => undefined, stderr: (line) => err.push(line) })).rejects.toMatchObject({ code: 'commander.invalidArgument' });
    expect(err.join('\n')).toContain('--users');
  });
});
