import type { IssueTapResult } from '../shell/issueTemporaryAccessPasses.js';

const minute = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** Columns as wide as their widest cell. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('   ')}`.trimEnd());
}

/**
 * What `mfa-rollout issue-tap` prints: the passes, once, as a table (user, pass, valid from, expires, one-time or
 * not, UTC), then every user who got none and why. This output is the only place a pass ever appears.
 */
export function renderIssuedPasses(result: IssueTapResult): string {
  const lines: string[] = [];
  if (result.issued.length > 0) {
    lines.push(`Temporary Access Passes (${result.issued.length}), shown this once and kept nowhere: give each to its user over a channel you trust.`);
    lines.push(
      ...table([
        ['User', 'Pass', 'Valid from (UTC)', 'Expires (UTC)', 'Use'],
        ...result.issued.map((issued) => [issued.upn, issued.pass, minute(issued.startsAt), minute(issued.expiresAt), issued.usableOnce ? 'one sign-in' : `any number of sign-ins for ${issued.lifetimeMinutes} min`]),
      ]),
    );
    const unrecorded = result.issued.filter((issued) => !issued.recorded);
    if (unrecorded.length > 0) lines.push(`Not recorded in the roster (the pass is valid): ${unrecorded.map((issued) => issued.upn).join(', ')}.`);
    lines.push('A new pass replaces any earlier one; the user signs in with it and registers a passkey at https://aka.ms/mysecurityinfo.');
  }
  if (result.refused.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(`No pass for ${result.refused.length} user(s):`);
    lines.push(...table(result.refused.map((refused) => [refused.upn ?? refused.name, refused.message])));
  }
  return lines.join('\n');
}

/** The same for scripts: `--json`. The pass is in `temporaryAccessPass`, as Graph names it. */
export function issuedPassesJson(result: IssueTapResult): string {
  return JSON.stringify(
    {
      lifetimeMinutes: result.lifetimeMinutes,
      issued: result.issued.map((issued) => ({
        user: issued.upn,
        userId: issued.userId,
        temporaryAccessPass: issued.pass,
        startDateTime: issued.startsAt,
        expiresDateTime: issued.expiresAt,
        lifetimeInMinutes: issued.lifetimeMinutes,
        isUsableOnce: issued.usableOnce,
        recorded: issued.recorded,
      })),
      refused: result.refused.map((refused) => ({ user: refused.upn ?? refused.name, userId: refused.userId, reason: refused.reason, message: refused.message, errorCode: refused.errorCode, requestId: refused.requestId })),
    },
    null,
    2,
  );
}
