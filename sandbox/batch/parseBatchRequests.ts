import { graphErrors } from '../http/graphErrors.js';

/** One request of a `$batch` body, checked. */
export interface BatchItem {
  /** As the client wrote it (echoed in the answer). */
  readonly id: string;
  readonly method: string;
  /** Relative to the batch endpoint's version, with or without the leading `/`. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text of `body` (a string body is taken as it is); undefined without a body. */
  readonly bodyText: string | undefined;
}

export const maxBatchRequests = 20;
const methods = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a `$batch` body as Graph does (docs/graph-behaviour.md#json-batching): `{ requests: [...] }` with at most 20
 * requests, unique ids (ignoring case) and a Content-Type header on every request with a body. `dependsOn` is not
 * modelled (the rollout's batches hold independent requests) and is refused. Any failure is a 400 for the whole batch.
 */
export function parseBatchRequests(body: unknown): BatchItem[] {
  if (!isRecord(body) || !Array.isArray(body.requests)) throw graphErrors.batchMalformed("expected a JSON object with a 'requests' array");
  const requests: unknown[] = body.requests;
  if (requests.length > maxBatchRequests) throw graphErrors.batchTooLarge();
  if (requests.length === 0) throw graphErrors.batchMalformed("the 'requests' array is empty");
  const items: BatchItem[] = [];
  const seen = new Set<string>();
  requests.forEach((raw, index) => {
    if (!isRecord(raw)) throw graphErrors.batchMalformed(`request ${index + 1} is not an object`);
    const { id, method, url } = raw;
    if (typeof id !== 'string' || id.trim() === '') throw graphErrors.batchMalformed(`request ${index + 1} has no string 'id'`);
    if (typeof method !== 'string' || !methods.has(method.toUpperCase())) throw graphErrors.batchMalformed(`request '${id}' has no valid 'method'`);
    if (typeof url !== 'string' || url.trim() === '') throw graphErrors.batchMalformed(`request '${id}' has no 'url'`);
    const key = id.toLowerCase();
    if (seen.has(key)) throw graphErrors.batchDuplicateId(id);
    seen.add(key);

    const headers: Record<string, string> = {};
    if (raw.headers !== undefined && raw.headers !== null) {
      if (!isRecord(raw.headers)) throw graphErrors.batchMalformed(`request '${id}' has 'headers' that are not an object`);
      for (const [name, value] of Object.entries(raw.headers)) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw graphErrors.batchMalformed(`request '${id}' has a header '${name}' that is not text`);
        headers[name.toLowerCase()] = String(value);
      }
    }
    const hasBody = raw.body !== undefined && raw.body !== null;
    if (hasBody && headers['content-type'] === undefined) throw graphErrors.batchContentTypeMissing(id);


    if (raw.dependsOn !== undefined && raw.dependsOn !== null) throw graphErrors.notModelled(`'dependsOn' in a $batch request (request '${id}'); send requests that depend on each other one after the other`);
    items.push({
      id,
      method: method.toUpperCase(),
      url: url.trim(),
      headers,
      bodyText: hasBody ? (typeof raw.body === 'string' ? raw.body : JSON.stringify(raw.body)) : undefined,
    });
  });
  return items;
}
