import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { permissionsFor, permissionsForIssueTap } from '../../shared/adapters/graph/graphPermissions.js';
import { repoRoot } from './bicepText.js';

/**
 * Runs infra/grant-graph-permissions.sh against a stand-in `az` on PATH that answers like the Azure CLI
 * with --query/--output tsv (the Microsoft Graph service principal, its app roles, the identity's current
 * assignments) and records every call. The role ids are made up here, so the script can only get them
 * right by resolving the permission names at run time.
 */

const principalId = 'aaaaaaaa-0000-4000-8000-000000000001';
const graphSpId = 'gggggggg-0000-4000-8000-000000000002';

/** Graph's application roles as the stand-in serves them: permission name -> role id. */
const graphRoles: Record<string, string> = {
  'AuditLog.Read.All': 'role-auditlog-read',
  'Directory.Read.All': 'role-directory-read',
  'GroupMember.Read.All': 'role-groupmember-read',
  'GroupMember.ReadWrite.All': 'role-groupmember-readwrite',
  'Mail.Send': 'role-mail-send',
  'Organization.Read.All': 'role-organization-read',
  'Policy.Read.All': 'role-policy-read',
  'Policy.ReadWrite.AuthenticationMethod': 'role-policy-authmethod',
  'RoleManagement.Read.Directory': 'role-rolemanagement-read',
  'User.Read.All': 'role-user-read',
  'UserAuthenticationMethod.ReadWrite.All': 'role-authmethod-readwrite',
  'UserAuthMethod-TAP.ReadWrite.All': 'role-tap-readwrite',
};

const stub = String.raw`#!/usr/bin/env bash
# Stand-in for the Azure CLI: records the call, answers what grant-graph-permissions.sh asks.
printf '%s\n' "$*" >> "$STUB_DIR/calls.log"
args="$*"
case "$args" in
  "identity show"*) echo "$STUB_PRINCIPAL" ;;
  *"--method get"*"servicePrincipals(appId="*) echo "$STUB_GRAPH_SP" ;;
  *"--method get"*"servicePrincipals/$STUB_GRAPH_SP?"*"appRoles"*) cat "$STUB_DIR/roles.tsv" ;;
  *"--method get"*"/appRoleAssignments"*) cat "$STUB_DIR/assigned.tsv" ;;
  *"--method post"*|*"--method delete"*) ;;
  *) echo "unexpected az call: $args" >&2; exit 3 ;;
esac
`;

let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grant-graph-'));
  writeFileSync(join(dir, 'az'), stub);
  chmodSync(join(dir, 'az'), 0o755);
  writeFileSync(join(dir, 'roles.tsv'), Object.entries(graphRoles).map(([name, id]) => `${name}\t${id}\n`).join(''));
  writeFileSync(join(dir, 'calls.log'), '');
  assigned({});
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The identity's current Graph app role assignments: permission name -> assignment id. */
function assigned(assignments: Record<string, string>): void {
  writeFileSync(join(dir, 'assigned.tsv'), Object.entries(assignments).map(([name, assignment]) => `${graphRoles[name] ?? name}\t${assignment}\n`).join(''));
}

function grant(...args: string[]): { status: number | null; stdout: string; stderr: string; calls: string[] } {
  const result = spawnSync('bash', ['infra/grant-graph-permissions.sh', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, STUB_DIR: dir, STUB_PRINCIPAL: principalId, STUB_GRAPH_SP: graphSpId },
  });
  const calls = readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter((line) => line !== '');
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

/** The app role ids the script POSTed for the identity on Microsoft Graph. */
function posted(calls: string[]): string[] {
  return calls
    .filter((call) => call.includes('--method post'))
    .map((call) => {
      const body = /--body (\{.*\})/.exec(call)?.[1] ?? '{}';
      const parsed = JSON.parse(body) as { principalId: string; resourceId: string; appRoleId: string };
      expect(parsed.principalId).toBe(principalId);
      expect(parsed.resourceId).toBe(graphSpId);
      expect(call).toContain(`/v1.0/servicePrincipals/${principalId}/appRoleAssignments`);
      return parsed.appRoleId;
    })
    .sort();
}

const roleIds = (names: string[]): string[] => names.map((name) => graphRoles[name] ?? `missing ${name}`).sort();

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One line of the script's report: `  <status>  <permission> (<note>)`. */
const reported = (status: string, name: string, note?: string): RegExp =>
  new RegExp(`^  ${escapeRegExp(status)} +${escapeRegExp(name)}${note === undefined ? '' : ` \\(${escapeRegExp(note)}\\)`}$`, 'm');

describe('grant-graph-permissions.sh', () => {
  it('grants a new identity exactly what perUserMfa needs, resolving role ids by name', () => {
    const result = grant('perUserMfa', '--principal-id', principalId);
    expect(result.status).toBe(0);
    const needed = permissionsFor({ strategy: 'perUserMfa', targetMethod: 'passkey', noticeDays: 3, noticeMailbox: undefined });
    expect(posted(result.calls)).toEqual(roleIds(needed));
    for (const name of needed) expect(result.stdout).toMatch(reported('granted', name));
    expect(result.stdout).toContain(`${needed.length} granted, 0 already in place, 0 not needed`);
  });

  it('grants a helpdesk identity only what issue-tap needs (issueTap), and never mail', () => {
    const result = grant('issueTap', '--principal-id', principalId);
    expect(result.status).toBe(0);
    expect(posted(result.calls)).toEqual(roleIds(permissionsForIssueTap()));
    expect(result.stdout).toMatch(reported('granted', 'UserAuthMethod-TAP.ReadWrite.All'));
    expect(grant('issueTap', '--with-mail', '--principal-id', principalId).status).toBe(1);
  });

  it('skips roles already granted, adds Mail.Send with --with-mail, and reports what is no longer needed', () => {
    assigned({ 'User.Read.All': 'assignment-1', 'Organization.Read.All': 'assignment-2', 'Policy.ReadWrite.AuthenticationMethod': 'assignment-3' });
    const result = grant('conditionalAccessGroup', '--with-mail', '--principal-id', principalId);
    expect(result.status).toBe(0);
    const needed = permissionsFor({ strategy: 'conditionalAccessGroup', targetMethod: 'passkey', noticeDays: 3, noticeMailbox: 'rollout@contoso.com' });
    expect(posted(result.calls)).toEqual(roleIds(needed.filter((name) => name !== 'User.Read.All' && name !== 'Organization.Read.All')));
    expect(result.stdout).toMatch(reported('already granted', 'User.Read.All'));
    expect(result.stdout).toMatch(reported('already granted', 'Organization.Read.All'));
    expect(result.stdout).toMatch(reported('not needed', 'Policy.ReadWrite.AuthenticationMethod', 'kept; run with --prune to remove it'));
    expect(result.calls.filter((call) => call.includes('--method delete'))).toEqual([]);
  });

  it('removes roles the strategy and track do not need only with --prune', () => {
    assigned({ 'GroupMember.ReadWrite.All': 'assignment-old', 'User.Read.All': 'assignment-1' });
    const result = grant('perUserMfa', '--track', 'phone', '--principal-id', principalId, '--prune');
    expect(result.status).toBe(0);
    const deletes = result.calls.filter((call) => call.includes('--method delete'));
    expect(deletes).toHaveLength(1);
    expect(deletes[0]).toContain(`/v1.0/servicePrincipals/${principalId}/appRoleAssignments/assignment-old`);
    expect(result.stdout).toMatch(reported('removed', 'GroupMember.ReadWrite.All', 'not needed by perUserMfa on track phone'));
  });

  it('is idempotent: a second run with everything in place changes nothing', () => {
    const needed = permissionsFor({ strategy: 'perUserMfa', targetMethod: 'passkey', noticeDays: 3, noticeMailbox: undefined });
    assigned(Object.fromEntries(needed.map((name, index) => [name, `assignment-${index}`])));
    const result = grant('perUserMfa', '--principal-id', principalId);
    expect(result.status).toBe(0);
    expect(result.calls.filter((call) => /--method (post|delete)/.test(call))).toEqual([]);
    expect(result.stdout).toContain(`0 granted, ${needed.length} already in place, 0 not needed`);
  });

  it('writes nothing in a dry run, and finds the identity by resource group and name', () => {
    const result = grant('perUserMfa', '--resource-group', 'rg-mfa', '--identity-name', 'id-mfa', '--dry-run', '--prune');
    expect(result.status).toBe(0);
    expect(result.calls[0]).toBe('identity show --resource-group rg-mfa --name id-mfa --query principalId --output tsv');
    expect(result.calls.filter((call) => /--method (post|delete)/.test(call))).toEqual([]);
    expect(result.stdout).toMatch(reported('would grant', 'User.Read.All'));
    expect(result.stdout).toContain('(dry run, nothing is changed)');
  });

  it('stops, granting nothing, when Graph has no role by a needed name', () => {
    writeFileSync(join(dir, 'roles.tsv'), Object.entries(graphRoles).filter(([name]) => name !== 'AuditLog.Read.All').map(([name, id]) => `${name}\t${id}\n`).join(''));
    const result = grant('perUserMfa', '--principal-id', principalId);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Microsoft Graph has no application permission named AuditLog.Read.All');
    expect(result.calls.filter((call) => call.includes('--method post'))).toEqual([]);
  });

  it('refuses to run without a strategy or an identity, or with a track that does not exist', () => {
    expect(grant('--principal-id', principalId).status).toBe(2);
    expect(grant('perUserMfa', '--track', 'sms', '--principal-id', principalId).status).toBe(2);
    expect(grant('perUserMfa').stderr).toContain('give --principal-id, or --resource-group with --identity-name');
  });
});
