/** One write the sandbox received (any POST/PATCH/PUT/DELETE under /v1.0 or /beta), whatever its outcome. */
export interface JournalEntry {
  readonly seq: number;
  /** Real time (not the sandbox clock), ISO 8601. */
  readonly at: string;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** Object id of the user the write addressed, once resolved; null when unknown. */
  readonly userId: string | null;
  /** e.g. `phoneMethod.create`, `requirements.update`; `unknown` for writes that matched no route. */
  readonly operation: string;
  readonly status: number;
  readonly requestId: string;
  /** Non-personal facts only (phoneType, perUserMfaState, errorCode): never a phone number. */
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface RequestCounters {
  total: number;
  /** `METHOD family`, e.g. `GET /v1.0/users`, `POST /beta/users/{userId}/authentication/requirements`. */
  byRoute: Record<string, number>;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface Journal {
  append(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry;
  /** Entries with `seq` greater than `since` (all when omitted). */
  entries(since?: number): readonly JournalEntry[];
  /** Counts one request (Graph and token endpoints; the admin API is not counted). */
  count(method: string, family: string, status: number): void;
  counters(): RequestCounters;
}

export function createJournal(realNow: () => Date = () => new Date()): Journal {
  const entries: JournalEntry[] = [];
  const counters: RequestCounters = { total: 0, byRoute: {}, byMethod: {}, byStatus: {} };
  const bump = (table: Record<string, number>, key: string): void => {
    table[key] = (table[key] ?? 0) + 1;
  };
  return {
    append: (entry) => {
      const full: JournalEntry = { seq: entries.length + 1, at: realNow().toISOString(), ...entry };
      entries.push(full);
      return full;
    },
    entries: (since = 0) => entries.slice(Math.max(0, Math.floor(since))),
    count: (method, family, status) => {
      counters.total += 1;
      bump(counters.byRoute, `${method} ${family}`);
      bump(counters.byMethod, method);
      bump(counters.byStatus, String(status));
    },
    counters: () => structuredClone(counters),
  };
}
