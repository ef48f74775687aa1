import { graphErrors } from '../http/graphErrors.js';
import { registrationBooleans, registrationLists, registrationStrings, type RegistrationRow } from './registrationDetails.js';

const resource = 'userRegistrationDetails';

export interface RegistrationQuery {
  readonly filter: (row: RegistrationRow) => boolean;
  /** Undefined: tenant order. */
  readonly compare: ((a: RegistrationRow, b: RegistrationRow) => number) | undefined;
}

type Clause = (row: RegistrationRow) => boolean;

const quoted = `'((?:[^']|'')*)'`;
const unquote = (text: string): string => text.replace(/''/g, "'");
const canonical = (table: Readonly<Record<string, unknown>>, name: string): string | undefined =>
  Object.keys(table).find((candidate) => candidate.toLowerCase() === name.toLowerCase());

/** Clause forms, each anchored at the current position; `and` joins them. */
const forms: readonly { readonly pattern: RegExp; readonly build: (match: RegExpExecArray) => Clause }[] = [
  {
    pattern: /^(\w+)\s+eq\s+(true|false)(?=\s|$)/i,
    build: (match) => {
      const name = canonical(registrationBooleans, match[1] ?? '');
      const field = name === undefined ? undefined : registrationBooleans[name];
      if (field === undefined) throw graphErrors.unsupportedFilter(match[1] ?? '', resource);
      const wanted = (match[2] ?? '').toLowerCase() === 'true';
      return (row) => field(row) === wanted;
    },
  },
  {
    pattern: new RegExp(`^(\\w+)\\s+eq\\s+${quoted}`, 'i'),
    build: (match) => {
      const name = canonical(registrationStrings, match[1] ?? '');
      const field = name === undefined ? undefined : registrationStrings[name];
      if (field === undefined) throw graphErrors.unsupportedFilter(match[1] ?? '', resource);
      const wanted = unquote(match[2] ?? '').toLowerCase();
      return (row) => field(row).toLowerCase() === wanted;
    },
  },
  {
    pattern: new RegExp(`^startswith\\(\\s*(\\w+)\\s*,\\s*${quoted}\\s*\\)`, 'i'),
    build: (match) => {
      const name = canonical(registrationStrings, match[1] ?? '');
      const field = name === undefined ? undefined : registrationStrings[name];
      if (field === undefined) throw graphErrors.unsupportedFilter(match[1] ?? '', resource);
      const prefix = unquote(match[2] ?? '').toLowerCase();
      return (row) => field(row).toLowerCase().startsWith(prefix);
    },
  },
  {
    pattern: new RegExp(`^(\\w+)/any\\(\\s*(\\w+)\\s*:\\s*(\\w+)\\s+eq\\s+${quoted}\\s*\\)`, 'i'),
    build: (match) => {
      const name = canonical(registrationLists, match[1] ?? '');
      const field = name === undefined ? undefined : registrationLists[name];
      if (field === undefined || match[2] !== match[3]) throw graphErrors.unsupportedFilter(match[1] ?? '', resource);
      const wanted = unquote(match[4] ?? '').toLowerCase();
      return (row) => field(row).some((value) => value.toLowerCase() === wanted);
    },
  },
];

function parseFilter(text: string): Clause {
  const clauses: Clause[] = [];
  let rest = text.trim();
  while (rest !== '') {
    const form = forms.find((candidate) => candidate.pattern.test(rest));
    const match = form?.pattern.exec(rest);
    if (form === undefined || match === null || match === undefined) {
      // Name the property the clause starts with (never the value): `id in (…)`, `ne`, `or`, `not` and the rest.
      throw graphErrors.unsupportedFilter(/^(?:not\s+)?\(?\s*(\w+)/i.exec(rest)?.[1] ?? '$filter', resource);
    }
    clauses.push(form.build(match));
    rest = rest.slice(match[0].length).trim();
    if (rest === '') break;
    const joiner = /^and\s+/i.exec(rest);
    if (joiner === null) throw graphErrors.unsupportedFilter(/^(\w+)/.exec(rest)?.[1] ?? '$filter', resource);
    rest = rest.slice(joiner[0].length);
  }
  return (row) => clauses.every((clause) => clause(row));
}

function parseOrderBy(text: string): RegistrationQuery['compare'] {
  const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(text);
  const name = match === null ? undefined : canonical(registrationStrings, match[1] ?? '');
  const field = name === undefined ? undefined : registrationStrings[name];
  if (match === null || field === undefined) throw graphErrors.unsupportedOrderBy(/^\s*([^\s,]*)/.exec(text)?.[1] ?? text, resource);
  const sign = (match[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1;
  return (a, b) => sign * field(a).localeCompare(field(b), 'en', { sensitivity: 'base' });
}

/** A query option by name, ignoring case (`$orderBy` as the docs spell it, `$orderby` as the SDK sends it). */
function option(query: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of query) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * `$filter` and `$orderby` of the registration report, as documented for v1.0: `eq true|false` on the booleans,
 * `eq` and `startsWith` on userPrincipalName and userDisplayName, `any(m: m eq '…')` on methodsRegistered and
 * systemPreferredAuthenticationMethods, clauses joined with `and`; `$orderby` on userPrincipalName or userDisplayName.
 * Anything else (`id in (…)`, `ne`, `or`, `not`, other properties) is 400 `Request_UnsupportedQuery`.
 */
export function parseRegistrationQuery(query: URLSearchParams): RegistrationQuery {
  const filter = option(query, '$filter');
  const orderBy = option(query, '$orderby');
  return {
    filter: filter === undefined || filter.trim() === '' ? () => true : parseFilter(filter),
    compare: orderBy === undefined || orderBy.trim() === '' ? undefined : parseOrderBy(orderBy),
  };
}
