import { describe, expect, it } from '@jest/globals';
import { exclusionReason } from '../../shared/core/exclusions.js';
import { breakGlassId, breakGlassUpn, exclusionGroupId, testConfig } from './configBuilder.js';
import { directoryUser } from './userBuilder.js';

const config = testConfig({ MFA_EXCLUSION_GROUP_ID: exclusionGroupId, MFA_EXCLUDE_UPN_PATTERNS: 'Sync_*,svc-*@contoso.com,*.kiosk@*' });

describe('exclusionReason', () => {
  it('is null for an ordinary member', () => {
    expect(exclusionReason(directoryUser(), config)).toBeNull();
  });

  it('breakGlass by UPN, case-insensitive', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: breakGlassUpn.toUpperCase() }), config)).toBe('breakGlass');
  });

  it('breakGlass by object id, case-insensitive', () => {
    expect(exclusionReason(directoryUser({ id: breakGlassId.toUpperCase() }), config)).toBe('breakGlass');
  });

  it('exclusionGroup when the exclusion group is among groupIds', () => {
    expect(exclusionReason(directoryUser({ groupIds: ['aaaaaaaa-0000-4000-8000-000000000000', exclusionGroupId] }), config)).toBe('exclusionGroup');
  });

  it('exclusionGroup compares group ids case-insensitively', () => {
    expect(exclusionReason(directoryUser({ groupIds: [exclusionGroupId.toUpperCase()] }), config)).toBe('exclusionGroup');
  });

  it('no exclusionGroup when none is configured', () => {
    expect(exclusionReason(directoryUser({ groupIds: [exclusionGroupId] }), testConfig())).toBeNull();
  });

  it('serviceAccount by a prefix pattern, case-insensitive', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: 'sync_CONNECT01_abc@contoso.onmicrosoft.com' }), config)).toBe('serviceAccount');
  });

  it('serviceAccount patterns match the whole UPN', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: 'svc-backup@contoso.com' }), config)).toBe('serviceAccount');
    expect(exclusionReason(directoryUser({ userPrincipalName: 'svc-backup@contoso.com.evil' }), config)).toBeNull();
    expect(exclusionReason(directoryUser({ userPrincipalName: 'ann.svc-backup@contoso.com' }), config)).toBeNull();
  });

  it('serviceAccount wildcards in the middle', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: 'lobby.kiosk@contoso.com' }), config)).toBe('serviceAccount');
  });

  it('a dot in a pattern is literal', () => {
    const dots = testConfig({ MFA_EXCLUDE_UPN_PATTERNS: 'a.b@contoso.com' });
    expect(exclusionReason(directoryUser({ userPrincipalName: 'axb@contoso.com' }), dots)).toBeNull();
    expect(exclusionReason(directoryUser({ userPrincipalName: 'a.b@contoso.com' }), dots)).toBe('serviceAccount');
  });

  it('the default patterns cover the Entra Connect sync accounts', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: 'ADToAADSyncServiceAccount@contoso.onmicrosoft.com' }), testConfig())).toBe('serviceAccount');
  });

  it('guest by userType', () => {
    expect(exclusionReason(directoryUser({ userType: 'Guest', userPrincipalName: 'ann_fabrikam.com#EXT#@contoso.onmicrosoft.com' }), config)).toBe('guest');
  });

  it('break-glass wins over every other reason', () => {
    const everything = directoryUser({ userPrincipalName: breakGlassUpn, userType: 'Guest', groupIds: [exclusionGroupId] });
    expect(exclusionReason(everything, testConfig({ MFA_EXCLUSION_GROUP_ID: exclusionGroupId, MFA_EXCLUDE_UPN_PATTERNS: 'breakglass*' }))).toBe('breakGlass');
  });

  it('exclusionGroup wins over serviceAccount and guest', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: 'Sync_x@contoso.com', userType: 'Guest', groupIds: [exclusionGroupId] }), config)).toBe('exclusionGroup');
  });

  it('serviceAccount wins over guest', () => {
    expect(exclusionReason(directoryUser({ userPrincipalName: 'Sync_x@contoso.com', userType: 'Guest' }), config)).toBe('serviceAccount');
  });
});
