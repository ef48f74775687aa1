/**
 * Entra's AADSTS error codes carried by a credential's failure (docs/graph-behaviour.md#errors): `@azure/identity`
 * keeps Entra's answer on `errorResponse` (`errorCodes`, `errorDescription`) and quotes it in the message; both are
 * looked at, through `cause` too. Codes only: never the description, which may quote an assertion or a client id.
 */
export function entraErrorCodes(error: unknown): number[] {
  const codes = new Set<number>();
  collect(error, 0, codes);
  return [...codes];
}

function collect(error: unknown, depth: number, codes: Set<number>): void {
  if (typeof error !== 'object' || error === null || depth > 4) return;
  const { errorResponse, message, cause } = error as { errorResponse?: { errorCodes?: unknown; errorDescription?: unknown }; message?: unknown; cause?: unknown };
  if (Array.isArray(errorResponse?.errorCodes)) for (const code of errorResponse.errorCodes.map(Number)) if (Number.isInteger(code)) codes.add(code);
  const text = `${typeof errorResponse?.errorDescription === 'string' ? errorResponse.errorDescription : ''} ${typeof message === 'string' ? message : ''}`;
  for (const match of text.matchAll(/\bAADSTS(\d{4,7})\b/g)) codes.add(Number(match[1]));
  collect(cause, depth + 1, codes);
}
