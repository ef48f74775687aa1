import { graphErrors } from '../http/graphErrors.js';

/** One request of a `$batch` body, checked. */
export interface BatchItem {
  /** As the client wrote it (echoed in the answer). */
  readonly id: string;
  /** Lower-case id: ids are unique ignoring case. */
  readonly key: string;
  readonly method: string;
  /** Relative to the batch endpoint's version, with or without the leading `/`. */
  readonly url: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text of `body` (a string body is taken as it is); undefined without a body. */
  readonly bodyText: string | undefined;
  /** Lower-case ids of the requests this one waits for. */
  readonly dependsOn: readonly string[];
}

export const maxBatchRequests = 20;
const methods = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks a `$batch` body as Graph does (graph-notes §7): `{ requests: [...] }` with at most 20 requests, unique ids
 * (ignoring case), a Content-Type header on every request with a body, and `dependsOn` naming requests of the same
 * batch without cycles. Any failure is a 400 for the whole batch.
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

    let dependsOn: string[] = [];
    if (raw.dependsOn !== undefined && raw.dependsOn !== null) {
      if (!Array.isArray(raw.dependsOn) || !raw.dependsOn.every((entry) => typeof entry === 'string')) {
        throw graphErrors.batchMalformed(`request '${id}' has a 'dependsOn' that is not a list of ids`);
      }
      dependsOn = (raw.dependsOn as string[]).map((entry) => entry.toLowerCase());
    }
    items.push({
      id,
      key,
      method: method.toUpperCase(),
      url: url.trim(),
      headers,
      bodyText: hasBody ? (typeof raw.body === 'string' ? raw.body : JSON.stringify(raw.body)) : undefined,
      dependsOn,
    });
  });

  const byKey = new Map(items.map((item) => [item.key, item]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (item: BatchItem): void => {
    state.set(item.key, 'visiting');
    for (const dependency of item.dependsOn) {
      const target = byKey.get(dependency);
      if (target === undefined || state.get(dependency) === 'visiting') throw graphErrors.batchUnknownDependency(item.id, dependency);
      if (state.get(dependency) === undefined) visit(target);
    }
    state.set(item.key, 'done');
  };
  for (const item of items) if (state.get(item.key) === undefined) visit(item);
  return items;
}
