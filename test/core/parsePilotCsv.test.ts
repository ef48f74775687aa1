import { describe, expect, it } from '@jest/globals';
import { expectedPilotHeaders, parsePilotCsv } from '../../shared/core/parsePilotCsv.js';

const upns = (text: string) => parsePilotCsv(text).entries.map((entry) => entry.upn);

describe('parsePilotCsv', () => {
  it('reads the MFA portal bulk-update CSV: Enabled and Enforced join, Disabled is skipped', () => {
    const csv = '\uFEFFUsername,MFA Status\r\nalice@contoso.com,Enabled\r\nBob@Contoso.com,Enforced\r\ncarol@contoso.com,Disabled\r\n';
    expect(parsePilotCsv(csv)).toEqual({
      refused: false, format: 'bulkUpdate', delimiter: ',', skipped: 1, duplicates: 0, problems: [],
      entries: [{ upn: 'alice@contoso.com', line: 2 }, { upn: 'bob@contoso.com', line: 3 }],
    });
  });

  it('reads a one-column list of UPNs, with or without a header', () => {
    expect(upns('UserPrincipalName\nalice@contoso.com\n\nbob@contoso.com\n')).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    expect(upns('UPN\nalice@contoso.com\n')).toEqual(['alice@contoso.com']);
    expect(upns('alice@contoso.com\nbob@contoso.com\n')).toEqual(['alice@contoso.com', 'bob@contoso.com']);
    expect(upns('"alice@contoso.com"\n')).toEqual(['alice@contoso.com']);
  });

  it('refuses a misspelt bulk-update header instead of reading the Username column as a list (the Disabled user stays out)', () => {
    const csv = parsePilotCsv('Username,MFA State\nalice@contoso.com,Enabled\nmallory@contoso.com,Disabled\n');
    expect(csv.refused).toBe(true);
    expect(csv.entries).toEqual([]);
    expect(csv.problems).toEqual([{ line: 1, message: `the header (comma-separated columns "Username", "MFA State") is not one the import reads: ${expectedPilotHeaders}` }]);
    expect(expectedPilotHeaders).toContain('"Username,MFA Status"');
  });

  it('never falls back to a list of UPNs for a multi-column file, whatever its columns', () => {
    for (const header of ['UserPrincipalName,DisplayName', 'Username,MFA Status,Notes', 'Email', 'upn;department']) {
      const csv = parsePilotCsv(`${header}\nalice@contoso.com,Enabled\n`);
      expect(csv).toMatchObject({ refused: true, entries: [] });
      expect(csv.problems).toHaveLength(1);
      expect(csv.problems[0]?.message).toContain(expectedPilotHeaders);
    }
    // a headerless list whose rows carry a second field is refused row by row, never read as a list
    expect(parsePilotCsv('alice@contoso.com\nbob@contoso.com,Disabled\n').problems).toEqual([{ line: 2, message: '2 comma-separated fields, expected 1 (a user principal name)' }]);
  });

  it('recognises a semicolon-separated file (Excel in many European locales) and says so', () => {
    const csv = parsePilotCsv('Username;MFA Status\r\nalice@contoso.com;Enabled\r\nbob@contoso.com;Disabled\r\n');
    expect(csv).toMatchObject({ refused: false, format: 'bulkUpdate', delimiter: ';', skipped: 1, problems: [] });
    expect(csv.entries).toEqual([{ upn: 'alice@contoso.com', line: 2 }]);
    expect(parsePilotCsv('Username;MFA State\nalice@contoso.com;Enabled\n').problems[0]?.message).toMatch(/^the header \(semicolon-separated columns "Username", "MFA State"\) is not one/);
    expect(parsePilotCsv('Username;MFA Status\nalice@contoso.com;Enabled;x\n').problems).toEqual([{ line: 2, message: '3 semicolon-separated fields, expected 2 (Username, MFA Status)' }]);
  });

  it('reports an unclosed quote on its own line and still lists the other bad rows', () => {
    const csv = 'Username,MFA Status\nalice@contoso.com,Enabled\n"bob@contoso.com,Enabled\ncarol@contoso.com,Maybe\ndave@contoso.com,Enabled\nnot-a-upn,Enabled\n';
    expect(parsePilotCsv(csv).problems).toEqual([
      { line: 3, message: 'a quote opens a field that never closes on this line' },
      { line: 4, message: 'MFA Status must be Enabled, Enforced or Disabled' },
      { line: 6, message: 'not a user principal name (expected name@domain)' },
    ]);
    expect(parsePilotCsv(csv).entries.map((entry) => entry.line)).toEqual([2, 5]);
  });

  it('reports every bad row with its line number', () => {
    const csv = 'Username,MFA Status\nalice@contoso.com,Enabled\nnot-a-upn,Enabled\ndave@contoso.com,Maybe\n,Enabled\n';
    expect(parsePilotCsv(csv).problems).toEqual([
      { line: 3, message: 'not a user principal name (expected name@domain)' },
      { line: 4, message: 'MFA Status must be Enabled, Enforced or Disabled' },
      { line: 5, message: 'no user principal name' },
    ]);
  });

  it('numbers each entry by its own line, not by the first line that contains it', () => {
    expect(parsePilotCsv('maja.lundberg@contoso.com\nlundberg@contoso.com\n').entries).toEqual([
      { upn: 'maja.lundberg@contoso.com', line: 1 }, { upn: 'lundberg@contoso.com', line: 2 },
    ]);
  });

  it('counts duplicates once, and ignores trailing empty fields', () => {
    expect(parsePilotCsv('alice@contoso.com\nALICE@contoso.com\n')).toMatchObject({ entries: [{ upn: 'alice@contoso.com', line: 1 }], duplicates: 1 });
    expect(parsePilotCsv('Username,MFA Status,\nalice@contoso.com,Enabled,\n')).toMatchObject({ refused: false, problems: [] });
  });

  it('an empty file and an unreadable header are problems, not exceptions', () => {
    expect(parsePilotCsv('').problems).toEqual([{ line: 1, message: 'the file has no rows' }]);
    expect(parsePilotCsv('\n\n"Username,MFA Status\nalice@contoso.com,Enabled\n')).toMatchObject({ refused: true, problems: [{ line: 3 }] });
  });
});
