import { describe, expect, it } from '@jest/globals';
import { permissionsFor } from '../../shared/adapters/graph/graphPermissions.js';
import { missingPermissions, permissionIncludedBy } from '../../shared/core/missingPermissions.js';
import { testConfig } from './configBuilder.js';

describe('missingPermissions', () => {
  it('nothing is missing when every needed permission is granted by name', () => {
    expect(missingPermissions(['User.Read.All', 'Mail.Send'], ['Mail.Send', 'User.Read.All', 'Sites.Read.All'])).toEqual([]);
  });

  it('names each permission not granted, with the higher ones that would also do, in the order needed', () => {
    expect(missingPermissions(['Policy.ReadWrite.AuthenticationMethod', 'User.Read.All', 'Organization.Read.All'], ['Organization.Read.All'])).toEqual([
      { permission: 'Policy.ReadWrite.AuthenticationMethod', includedBy: [] },
      { permission: 'User.Read.All', includedBy: ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
    ]);
  });

  it('a higher permission that includes a needed one counts', () => {
    expect(missingPermissions(['User.Read.All', 'GroupMember.Read.All', 'Organization.Read.All'], ['Directory.Read.All'])).toEqual([]);
    expect(missingPermissions(['GroupMember.ReadWrite.All'], ['Group.ReadWrite.All'])).toEqual([]);
  });

  it('a permission for another purpose or a lower one never counts: names compare exactly', () => {
    expect(missingPermissions(['UserAuthenticationMethod.ReadWrite.All'], ['UserAuthenticationMethod.Read.All', 'UserAuthMethod-Phone.ReadWrite.All'])).toHaveLength(1);
    expect(missingPermissions(['GroupMember.ReadWrite.All'], ['GroupMember.Read.All', 'Directory.Read.All'])).toHaveLength(1);
    expect(missingPermissions(['User.Read.All'], ['user.read.all'])).toHaveLength(1);
  });

  it('knows every permission a configuration can need', () => {
    const needs = new Set<string>();
    for (const strategy of ['perUserMfa', 'conditionalAccessGroup']) {
      for (const mail of [{}, { MFA_NOTICE_MAILBOX: 'comms@contoso.com' }] as Record<string, string>[]) {
        const config = testConfig({ MFA_STRATEGY: strategy, MFA_CA_GROUP_ID: '33333333-3333-4333-8333-333333333333', ...mail });
        for (const permission of permissionsFor(config)) needs.add(permission);
      }
    }
    expect([...needs].filter((permission) => !(permission in permissionIncludedBy))).toEqual([]);
  });
});
