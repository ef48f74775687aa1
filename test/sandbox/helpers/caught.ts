import type { GraphError } from '@microsoft/microsoft-graph-client';

/** The GraphError a Graph client call fails with; throws when the call succeeds. */
export async function caught(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    return error as GraphError;
  }
  throw new Error('expected the call to fail');
}

/** Status, code and message of a failed call, for one `toEqual`. */
export async function failureOf(promise: Promise<unknown>): Promise<[number, string, string]> {
  const error = await caught(promise);
  return [error.statusCode, error.code ?? '', error.message];
}
