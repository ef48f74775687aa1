/** A Graph error answer, thrown by route handlers and pipeline stages and rendered once into the envelope. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export function isGraphHttpError(error: unknown): error is GraphHttpError {
  return error instanceof Error && error.name === 'GraphHttpError';
}
