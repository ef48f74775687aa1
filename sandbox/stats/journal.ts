/** One write the sandbox received (any POST/PATCH/PUT/DELETE under /v1.0 or /beta, batch items included, `$batch` envelopes not), whatever its outcome. */
export interface JournalEntry {
  readonly seq: number;
  /** Real time (not the sandbox clock), ISO 8601. */
  readonly at: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Object id of the user the write addressed, once resolved; null when unknown. */
  readonly userId: string | null;
  /**
   * The route's operation name (`http/graphRoute.ts`), the same the product's `GraphCall.operation` uses, e.g.
   * `phoneMethods.create`, `requirements.update`, `groups.addMember`, `groups.removeMember`, `mail.send`; `unknown`
   * for writes that matched no route.
   */
  readonly operation: string;
  readonly status: number;
  readonly requestId: string;
  /** Facts only (phoneType, perUserMfaState, errorCode, fault, groupId, mail addresses of `mail.send`): never a phone number or a mail body. */
  readonly detail: Readonly<Record<string, unknown>>;
  /** Present (true) when the write arrived as an item of a `$batch` request. */
  readonly viaBatch?: true;
  /** `request-id` of the `$batch` envelope that carried the write. */
  readonly batchRequestId?: string;
}

export interface CounterTables {
  total: number;
  /** `METHOD family`, e.g. `GET /v1.0/users`, `POST /beta/users/{userId}/authentication/requirements`. */
  byRoute: Record<string, number>;
  byMethod: Record<string, number>;
  /** Status 0: never answered (a `hang` fault). */
  byStatus: Record<string, number>;
}

/** HTTP requests (a `$batch` envelope counts once, under `POST /v1.0/$batch`), and separately the items of batches. */
export interface RequestCounters extends CounterTables {
  batchItems: CounterTables;
  /** Time factor of the quota simulation (its windows run this many times faster); 1 is Graph's own pace. */
  quotaTimeScale?: number;
}

export type WriteListener = (entry: JournalEntry) => void;

/** What a test or a harness reads of the journal, and the hook that sees each write as it is journaled. */
export interface JournalView {
  /** Entries with `seq` greater than `since` (all when omitted). */
  entries(since?: number): readonly JournalEntry[];
  counters(): RequestCounters;
  /**
   * Calls `listener` synchronously with each entry as it is appended: after the tenant applied the write, before its
   * answer is sent (a listener that kills the client process hits the worst moment, and the client cannot have sent
   * another write in between). Returns a function that stops it.
   */
  onWrite(listener: WriteListener): () => void;
}

export interface Journal extends JournalView {
  append(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry;
  /** Counts one request (Graph and token endpoints; the admin API is not counted). */
  count(method: string, family: string, status: number): void;
  /** Counts one item of a `$batch` request. */
  countItem(method: string, family: string, status: number): void;
  /** Where counters() reads the quota's time factor from. */
  reportQuotaTimeScale(source: () => number): void;
}

export function createJournal(realNow: () => Date = () => new Date()): Journal {
  const entries: JournalEntry[] = [];
  const tables = (): CounterTables => ({ total: 0, byRoute: {}, byMethod: {}, byStatus: {} });
  const counters: RequestCounters = { ...tables(), batchItems: tables() };
  let quotaTimeScale: (() => number) | undefined;
  const listeners = new Set<WriteListener>();
  const bump = (table: Record<string, number>, key: string): void => {
    table[key] = (table[key] ?? 0) + 1;
  };
  const countIn = (into: CounterTables, method: string, family: string, status: number): void => {
    into.total += 1;
    bump(into.byRoute, `${method} ${family}`);
    bump(into.byMethod, method);
    bump(into.byStatus, String(status));
  };
  return {
    append: (entry) => {
      const full: JournalEntry = { seq: entries.length + 1, at: realNow().toISOString(), ...entry };
      entries.push(full);
      for (const listener of [...listeners]) listener(full);
      return full;
    },
    onWrite: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    entries: (since = 0) => entries.slice(Math.max(0, Math.floor(since))),
    count: (method, family, status) => countIn(counters, method, family, status),
    countItem: (method, family, status) => countIn(counters.batchItems, method, family, status),
    counters: () => ({ ...structuredClone(counters), ...(quotaTimeScale === undefined ? {} : { quotaTimeScale: quotaTimeScale() }) }),
    reportQuotaTimeScale: (source) => {
      quotaTimeScale = source;
    },
  };
}
