import { describe, expect, it } from '@jest/globals';
import { buildRehearsalProgram } from '../../rehearsal/rehearsalProgram.js';

/** A writable that keeps what the command prints. */
function capture() {
  const chunks: string[] = [];
  return { out: { write: (chunk: string) => chunks.push(chunk) } as unknown as NodeJS.WritableStream, text: () => chunks.join('') };
}

const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

describe('npm run rehearse (small tenant, whole command-line path)', () => {
  it('rolls out a 150-user sandbox tenant night by night, passes its checks, and logs nothing sensitive', async () => {
    const printed = capture();
    const logLines: string[] = [];
    const program = buildRehearsalProgram({ out: printed.out, logSink: (_level, line) => logLines.push(line) });
    program.exitOverride();
    await program.parseAsync(['node', 'rehearse', '--log-level', 'debug', '--users', '150', '--nights', '10', '--wave-size', '20', '--notice-days', '2', '--seed', '3']);

    const text = printed.text();
    expect(process.exitCode ?? 0).toBe(0);
    expect(text).toContain('night date');
    expect(text.match(/^ +\d+ 2026-12-\d\d /gm)).toHaveLength(10);
    expect(text).toContain('ok   writes to break-glass accounts: 0');
    expect(text).toContain('ok   users enforced without a phone method or another MFA method: 0');
    expect(text).toContain('ok   users whose outcome differs from their generated kind: 0');
    expect(text).toContain('Rehearsal passed.');

    // every structured log line of the whole rollout, at debug level
    expect(logLines.length).toBeGreaterThan(20);
    for (const line of logLines) {
      const scanned = line.replace(guid, '<id>');
      expect(scanned).not.toMatch(/\d{7,}/); // a phone number (or any long digit run)
      expect(scanned).not.toMatch(/\+\s*\d/); // an international number
      expect(scanned).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/); // a JWT
      expect(scanned).not.toMatch(/secret|password|AccountKey=/i);
      expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});
