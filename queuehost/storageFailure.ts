/** The parts of a failed Storage request the host decides on: HTTP status and Storage error code. */
export interface StorageFailure {
  readonly status?: number;
  readonly code?: string;
}

/** Reads status and code from an @azure/storage-queue RestError (or anything shaped like one). */
export function storageFailure(error: unknown): StorageFailure {
  if (typeof error !== 'object' || error === null) return {};
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  return { ...(typeof statusCode === 'number' ? { status: statusCode } : {}), ...(typeof code === 'string' ? { code } : {}) };
}

/** The message is no longer ours (another receive took it) or is gone, or its queue is: nothing left to do with it. */
export function isLostMessage(error: unknown): boolean {
  const { status, code } = storageFailure(error);
  return (status === 400 && code === 'PopReceiptMismatch') || status === 404 || (status === 409 && (code === 'QueueBeingDeleted' || code === 'QueueDisabled'));
}

/** A server-side failure (5xx) or no answer at all: worth trying again. */
export function isTransientStorageFailure(error: unknown): boolean {
  const { status } = storageFailure(error);
  return status === undefined || status >= 500;
}
