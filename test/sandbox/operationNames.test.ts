import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { batchOperation } from '../../sandbox/batch/createBatchRoute.js';
import { compileRoutes } from '../../sandbox/http/compileRoutes.js';
import type { GraphVersion } from '../../sandbox/http/graphRoute.js';
import { graphRoutes } from '../../sandbox/routes/graphRoutes.js';
import { startTestSandbox, type TestSandbox } from './helpers/startTestSandbox.js';

interface ProductCall {
  readonly file: string;
  readonly operation: string;
  readonly method: string;
  readonly version: GraphVersion;
  readonly path: string;
}

const productFolder = join(import.meta.dirname, '../../shared/adapters/graph');

/**
 * Every Graph call the product's adapters describe, read from their source: the `operation` literal and the
 * `method`, `version` and `path` of the same GraphCall (`${userPath(id)}` stands for `/users/{id}`).
 */
async function productCalls(): Promise<ProductCall[]> {
  const calls: ProductCall[] = [];
  for (const file of (await readdir(productFolder)).filter((name) => name.endsWith('.ts'))) {
    const text = await readFile(join(productFolder, file), 'utf8');
    for (const match of text.matchAll(/operation: '([^']+)'/g)) {
      const call = text.slice(match.index, text.indexOf('permission:', match.index));
      const method = /method: '([A-Z]+)'/.exec(call)?.[1];
      const version = /version: '(v1\.0|beta)'/.exec(call)?.[1] as GraphVersion | undefined;
      const path = /path: (?:'([^']+)'|`([^`]+)`)/.exec(call);
      if (method === undefined || version === undefined || path === null) throw new Error(`${file}: no method, version or path beside operation '${match[1]}'`);
      calls.push({ file, operation: match[1] ?? '', method, version, path: path[1] ?? path[2] ?? '' });
    }
  }
  return calls;
}

const segmentsOf = (path: string): string[] =>
  path
    .replace(/\$\{userPath\([^)]*\)\}/g, '/users/x')
    .replace(/\$\{[^}]*\}/g, 'x')
    .split('?')[0]
    ?.split('/')
    .filter((segment) => segment !== '') ?? [];

describe('one name per Graph operation', () => {
  const routeOperations = [...graphRoutes.map((route) => route.operation), batchOperation];

  it('gives every route of the sandbox one resource.verb name, used by no other route', () => {
    expect(routeOperations.every((name) => /^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z]*$/.test(name))).toBe(true);
    expect(new Set(routeOperations).size).toBe(routeOperations.length);
  });

  it('sandbox/README.md lists every operation name, and no other', async () => {
    const readme = await readFile(join(import.meta.dirname, '../../sandbox/README.md'), 'utf8');
    // the list follows the section's first line that ends in a colon
    const section = /^## One name per operation\n[\s\S]*?:\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    // `phoneMethods.list|read|create` stands for phoneMethods.list, phoneMethods.read and phoneMethods.create
    const listed = [...section.matchAll(/`([a-z][A-Za-z0-9]*)\.([a-z][A-Za-z|]*)`/g)].flatMap((match) => (match[2] ?? '').split('|').map((verb) => `${match[1]}.${verb}`));
    expect([...new Set(listed)].sort()).toEqual([...routeOperations].sort());
  });

  it('names each call the product sends as the sandbox route it reaches is named', async () => {
    const calls = await productCalls();
    expect(calls.map((call) => call.operation)).toEqual(expect.arrayContaining(['phoneMethods.create', 'requirements.update', 'groups.addMember', 'users.list', 'mail.send']));
    const table = compileRoutes(graphRoutes);
    const reached = calls.map((call) => {
      const match = table.match(call.method, call.version, segmentsOf(call.path));
      return `${call.file}: ${call.operation} -> ${match.kind === 'match' ? match.route.operation : match.kind}`;
    });
    expect(reached).toEqual(calls.map((call) => `${call.file}: ${call.operation} -> ${call.operation}`));
  });

  describe('on a running sandbox', () => {
    let t: TestSandbox;
    beforeAll(async () => {
      t = await startTestSandbox({ users: 20 });
    });
    afterAll(async () => {
      await t.close();
    });

    it('refuses a fault rule aimed at a name no route has, listing the names', async () => {
      expect(() => t.sandbox.traffic.addFault({ kind: 'throttle', operations: ['phonemethods.create'] })).toThrow(
        /'phonemethods\.create' is not an operation of the sandbox; expected one of .*phoneMethods\.create/,
      );
      const answer = await t.raw('/_sandbox/faults', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'throttle', operations: ['phoneMethod.create'] }) });
      expect(answer.status).toBe(400);
      expect(t.sandbox.traffic.faults().faults).toEqual([]);
    });

    it('refuses the reads nothing in the rollout sends (400 SandboxNotModelled), never a silent answer', async () => {
      const headers = { Authorization: `Bearer ${await t.token()}` };
      const user = t.sandbox.manifest.users[0]?.id ?? '';
      const paths = [`/v1.0/organization/${t.sandbox.tenantId}`, '/v1.0/identity/conditionalAccess/policies/00000000-0000-4000-8000-000000000001', `/v1.0/users/${user}/authentication/temporaryAccessPassMethods/00000000-0000-4000-8000-000000000002`];
      const answers = await Promise.all(paths.map(async (path) => {
        const answer = await t.raw(path, { headers });
        return [path, answer.status, (answer.json as { error?: { code?: string } } | undefined)?.error?.code];
      }));
      expect(answers).toEqual(paths.map((path) => [path, 400, 'SandboxNotModelled']));
    });

    it('journals a write under the name the product gave it', async () => {
      const user = t.sandbox.manifest.users.find((candidate) => candidate.category === 'ready');
      await t.client.api(`/users/${user?.id}/authentication/requirements`).version('beta').patch({ perUserMfaState: 'enabled' });
      expect(t.sandbox.journal.entries().map((entry) => [entry.operation, entry.userId])).toEqual([['requirements.update', user?.id]]);
    });
  });
});
