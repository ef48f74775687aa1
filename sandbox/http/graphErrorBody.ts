/** Identifiers every Graph error carries in `innerError`. */
export interface ErrorIds {
  /** When the error happened (the sandbox clock). */
  readonly date: Date;
  readonly requestId: string;
  readonly clientRequestId: string;
}

export interface GraphErrorEnvelope {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly innerError: { readonly date: string; readonly 'request-id': string; readonly 'client-request-id': string };
  };
}

/**
 * Graph's error envelope as directory services send it: camelCase `innerError` (the JS SDK reads
 * `innerError["request-id"]` into GraphError.requestId) and a date without fraction or zone.
 */
export function graphErrorBody(code: string, message: string, ids: ErrorIds): GraphErrorEnvelope {
  return {
    error: {
      code,
      message,
      innerError: {
        date: ids.date.toISOString().slice(0, 19),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  };
}
