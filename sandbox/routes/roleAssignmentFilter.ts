import { graphErrors } from '../http/graphErrors.js';
import type { SandboxRoleAssignment } from '../tenant/tenantModel.js';

const resource = 'unifiedRoleAssignment';

/** The properties the documentation says support `$filter` (`eq`, `in`) and that the sandbox models. */
const filterable: Readonly<Record<string, (assignment: SandboxRoleAssignment) => string>> = {
  roleDefinitionId: (assignment) => assignment.roleDefinitionId,
  principalId: (assignment) => assignment.principalId,
  directoryScopeId: (assignment) => assignment.directoryScopeId,
};

const quoted = `'((?:[^']|'')*)'`;
const eq = new RegExp(`^(\\w+)\\s+eq\\s+${quoted}`, 'i');
const inList = new RegExp(`^(\\w+)\\s+in\\s+\\(\\s*(${quoted}(?:\\s*,\\s*${quoted})*)\\s*\\)`, 'i');

type Clause = (assignment: SandboxRoleAssignment) => boolean;

function field(name: string): (assignment: SandboxRoleAssignment) => string {
  const key = Object.keys(filterable).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const read = key === undefined ? undefined : filterable[key];
  if (read === undefined) throw graphErrors.unsupportedFilter(name, resource);
  return read;
}

/**
 * `$filter` of `GET roleManagement/directory/roleAssignments`: `eq` and `in (…)` on roleDefinitionId, principalId
 * and directoryScopeId (as the unifiedRoleAssignment resource documents), clauses joined by `and`; ids compare
 * ignoring case. Anything else is 400 `Request_UnsupportedQuery`, naming the property, never the value.
 */
export function roleAssignmentFilter(text: string | null): Clause {
  if (text === null || text.trim() === '') return () => true;
  const clauses: Clause[] = [];
  let rest = text.trim();
  for (;;) {
    const single = eq.exec(rest);
    const many = single === null ? inList.exec(rest) : null;
    const match = single ?? many;
    if (match === null) throw graphErrors.unsupportedFilter(/^\(?\s*(\w+)/.exec(rest)?.[1] ?? '$filter', resource);
    const read = field(match[1] ?? '');
    const wanted = single !== null
      ? new Set([(single[2] ?? '').replace(/''/g, "'").toLowerCase()])
      : new Set([...(match[2] ?? '').matchAll(new RegExp(quoted, 'g'))].map((value) => (value[1] ?? '').replace(/''/g, "'").toLowerCase()));
    clauses.push((assignment) => wanted.has(read(assignment).toLowerCase()));
    rest = rest.slice(match[0].length).trim();
    if (rest === '') break;
    const joiner = /^and\s+/i.exec(rest);
    if (joiner === null) throw graphErrors.unsupportedFilter(/^(\w+)/.exec(rest)?.[1] ?? '$filter', resource);
    rest = rest.slice(joiner[0].length);
  }
  return (assignment) => clauses.every((clause) => clause(assignment));
}
