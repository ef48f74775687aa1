import { graphErrors } from '../http/graphErrors.js';
import { registrationBooleans, registrationLists, registrationStrings, type RegistrationRow } from './registrationDetails.js';

const resource = 'userRegistrationDetails';

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
    if (/^startswith\s*\(/i.test(rest)) throw graphErrors.notModelled(`startsWith in the $filter of ${resource}`);
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

/**
 * The `$filter` of the registration report, as documented for v1.0: `eq true|false` on the booleans, `eq` on
 * userPrincipalName and userDisplayName, `any(m: m eq '…')` on methodsRegistered and
 * systemPreferredAuthenticationMethods, clauses joined with `and`. `startsWith` is not modelled (400
 * `SandboxNotModelled`, as is `$orderby`); anything else (`id in (…)`, `ne`, `or`, `not`, other properties) is 400
 * `Request_UnsupportedQuery`.
 */
export function parseRegistrationFilter(query: URLSearchParams): (row: RegistrationRow) => boolean {
  const filter = [...query].find(([key]) => key.toLowerCase() === '$filter')?.[1];
  return filter === undefined || filter.trim() === '' ? () => true : parseFilter(filter);
}
