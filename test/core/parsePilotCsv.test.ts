import { describe, expect, it } from '@jest/globals';
import { parsePilotCsv } from '../../shared/core/parsePilotCsv.js';

describe('parsePilotCsv', () => {
  it('reads the MFA portal bulk-update CSV: Enabled and Enforced join, Disabled is skipped', () => {
    const csv = '\uFEFFUsername,MFA Status\r\nalice@contoso.com,Enabled\r\nBob@Contoso.com,Enforced\r\ncarol@contoso.com,Disabled\r\n';
    expect(parsePilotCsv(csv)).toEqual({ upns: ['alice@contoso.com', 'bob@contoso.com'], skipped: 1, duplicates: 0, problems: [] });
  });

  it('reads a plain list of UPNs, with or without a header', () => {
    expect(parsePilotCsv('UserPrincipalName\nalice@contoso.com\n\nbob@contoso.com\n').upns).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    expect(parsePilotCsv('alice@contoso.com\nbob@contoso.com\n').upns).toEqual(['alice@contoso.com', 'bob@contoso.com']);
  });

  it('reports every bad row with its line number', () => {
    const csv = 'Username,MFA Status\nalice@contoso.com,Enabled\nnot-a-upn,Enabled\ndave@contoso.com,Maybe\n,Enabled\n';
    expect(parsePilotCsv(csv).problems).toEqual([
      { line: 3, message: 'not a user principal name (expected name@domain)' },
      { line: 4, message: 'MFA Status must be Enabled, Enforced or Disabled' },
      { line: 5, message: 'no user principal name' },
    ]);
  });

  it('counts duplicates once', () => {
    expect(parsePilotCsv('alice@contoso.com\nALICE@contoso.com\n')).toMatchObject({ upns: ['alice@contoso.com'], duplicates: 1 });
  });

  it('an unreadable CSV and an empty file are problems, not exceptions', () => {
    expect(parsePilotCsv('a,"b\n').problems[0]?.message).toMatch(/^not a readable CSV/);
    expect(parsePilotCsv('').problems).toEqual([{ line: 1, message: 'the file has no rows' }]);
  });
});
