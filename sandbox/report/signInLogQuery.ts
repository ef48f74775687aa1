import { graphErrors } from '../http/graphErrors.js';
import type { SignInRecord } from '../tenant/tenantState.js';

const resource = 'signIn';

type Clause = (record: SignInRecord) => boolean;

const quoted = `'((?:[^']|'')*)'`;
const unquote = (text: string): string => text.replace(/''/g, "'");
const dateTime = '(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d{1,7})?)?Z)';

/** `signInEventTypes` of a sandbox sign-in: only interactive user sign-ins are kept. */
const eventTypes = ['interactiveUser'];

/**
 * The clause forms the beta `signIn` resource documents as filterable and the rollout may use
 * (docs/graph-behaviour.md#sign-in-activity): `createdDateTime` with `eq`/`ge`/`le`, `userId` and
 * `authenticationRequirement` with `eq`, `status/errorCode eq N`, `signInEventTypes/any(t: t eq '…')`.
 */
const forms: readonly { readonly pattern: RegExp; readonly build: (match: RegExpExecArray) => Clause }[] = [
  {
    pattern: new RegExp(`^createdDateTime\\s+(eq|ge|le)\\s+${dateTime}(?=\\s|$)`, 'i'),
    build: (match) => {
      const at = Date.parse(match[2] ?? '');
      const operator = (match[1] ?? '').toLowerCase();
      return operator === 'ge' ? (record) => record.atMs >= at : operator === 'le' ? (record) => record.atMs <= at : (record) => record.atMs === at;
    },
  },
  {
    pattern: new RegExp(`^(userId|authenticationRequirement)\\s+eq\\s+${quoted}`, 'i'),
    build: (match) => {
      const wanted = unquote(match[2] ?? '').toLowerCase();
      return (match[1] ?? '').toLowerCase() === 'userid' ? (record) => record.userId.toLowerCase() === wanted : (record) => record.authenticationRequirement.toLowerCase() === wanted;
    },
  },
  {
    pattern: /^status\/errorCode\s+eq\s+(\d+)(?=\s|$)/i,
    build: (match) => {
      const wanted = Number(match[1]);
      return () => wanted === 0;
    },
  },
  {
    pattern: new RegExp(`^signInEventTypes/any\\(\\s*(\\w+)\\s*:\\s*(\\w+)\\s+eq\\s+${quoted}\\s*\\)`, 'i'),
    build: (match) => {
      if (match[1] !== match[2]) throw graphErrors.unsupportedFilter('signInEventTypes', resource);
      const wanted = unquote(match[3] ?? '');
      return () => eventTypes.includes(wanted);
    },
  },
];

/**
 * The `$filter` of `auditLogs/signIns`: the forms above joined with `and`. `startsWith` and the other documented
 * `eq` properties are not modelled (400 `SandboxNotModelled`); anything else — `isInteractive` (not documented as filterable), `or`, `ne` — is 400
 * `Request_UnsupportedQuery` naming the property, never the value.
 */
export function parseSignInFilter(query: URLSearchParams): Clause {
  const text = query.get('$filter');
  if (text === null) return () => true;
  const clauses: Clause[] = [];
  let rest = text.trim();
  while (rest !== '') {
    if (/^startswith\s*\(/i.test(rest)) throw graphErrors.notModelled(`startsWith in the $filter of ${resource}`);
    const documented = /^(appId|appDisplayName|ipAddress|userPrincipalName|userDisplayName|clientAppUsed|conditionalAccessStatus|correlationId|id|resourceId)\s+eq\b/i.exec(rest);
    if (documented !== null) throw graphErrors.notModelled(`${documented[1] ?? ''} in the $filter of ${resource}`);
    const form = forms.find((candidate) => candidate.pattern.test(rest));
    const match = form?.pattern.exec(rest);
    if (form === undefined || match === null || match === undefined) throw graphErrors.unsupportedFilter(/^(?:not\s+)?\(?\s*([\w/]+)/i.exec(rest)?.[1] ?? '$filter', resource);
    clauses.push(form.build(match));
    rest = rest.slice(match[0].length).trim();
    if (rest === '') break;
    const joiner = /^and\s+/i.exec(rest);
    if (joiner === null) throw graphErrors.unsupportedFilter(/^([\w/]+)/.exec(rest)?.[1] ?? '$filter', resource);
    rest = rest.slice(joiner[0].length);
  }
  return (record) => clauses.every((clause) => clause(record));
}
