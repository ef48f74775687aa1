import { describe, expect, it } from '@jest/globals';
import { createLogger } from '../../shared/log/logEvent.js';
import { looksLikePass, redactFields, redacted } from '../../shared/log/redact.js';

describe('redaction of Temporary Access Passes', () => {
  // Microsoft's own examples, and passes as the sandbox issues them
  const passes = ['+drkzqAD', 'TAPRocks!', 'Xk4mPq9z', 'a#B3c$D4e%F5g&H6', 'Qw7!rT9@yU2#iO4$pA6%sD8^fG1&hJ3*kL5(zX7)cV9_bN0+'.slice(0, 48)];

  it('takes the shape of a pass for one: 8 to 48 characters, both cases, a symbol or digits', () => {
    for (const pass of passes) expect([pass, looksLikePass(pass)]).toEqual([pass, true]);
    // a pass behind a setting name is still one
    expect(looksLikePass('MFA_X=+drkzqAD')).toBe(true);
    for (const word of ['+dRkzq', 'abcdefgh1!', 'ABCDEFGH1!', 'awaitingRegistration', 'GRAPH_THROTTLED', 'phoneMethods.create', 'UserAuthMethod-TAP.ReadWrite.All', 'Request_BadRequest', 'fido2Methods.delete', 'Contoso-2026', 'MFA_ACK_CA_OVERLAP=true', 'MFA_CAMPAIGN_MODE=microsoftManaged']) {
      expect([word, looksLikePass(word)]).toEqual([word, false]);
    }
  });

  it('REDACTS a field carrying a pass even when its name is allow-listed, alone or inside a message', () => {
    for (const pass of passes) {
      expect(redactFields({ reason: pass, message: `issued '${pass}' to the user`, counts: { [pass]: 1 } })).toEqual({ reason: redacted, message: redacted, counts: { [redacted]: 1 } });
    }
  });

  it('keeps what the rollout logs: codes, operations, wave ids, run ids, times, request ids and messages', () => {
    const fields = {
      event: 'tap.issued',
      runId: 'cli-issue-tap-0f8fad5b-d9cb-469f-a165-70867728950e',
      waveId: '2026-11-25T01-00-00Z-resume',
      operation: 'temporaryAccessPassMethods.create',
      errorCode: 'GRAPH_PERMISSION_MISSING',
      graphCode: 'Authorization_RequestDenied',
      expiresAt: '2026-12-01T10:00:00.000Z',
      requestId: '7c1f9b2e-3d4a-4e5f-8a6b-9c0d1e2f3a4b',
      message: "issue-tap needs the Graph application permission UserAuthMethod-TAP.ReadWrite.All (or UserAuthenticationMethod.ReadWrite.All); 'Request_BadRequest'.",
      rolloutId: 'Contoso-2026',
      // the id `setup-passkeys --restore` takes
      setupId: 'setup-2026-12-02T07-38-00Z-1a2b',
    };
    expect(redactFields(fields)).toEqual(fields);
    // a phone number in its place is still one
    for (const value of ['setup-2026-12-02T07-38-00Z +14155550100']) expect([value, redactFields({ setupId: value }).setupId]).toEqual([value, redacted]);
  });

  it('never lets a pass into a log line through the logger', () => {
    const lines: string[] = [];
    createLogger((_level, line) => lines.push(line), { runId: 'r1' }).event('tap.issued', { userId: 'u1', reason: '+drkzqAD', temporaryAccessPass: 'TAPRocks!' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/drkzqAD|TAPRocks/);
  });
});
