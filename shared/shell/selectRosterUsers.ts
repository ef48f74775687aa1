import type { RolloutProgress, RolloutState } from '../core/rosterUser.js';
import type { ErrorCode } from '../errors/errorCodes.js';
import { RolloutError } from '../errors/RolloutError.js';
import { isCorruptRow, type RosterRow, type RosterTable } from '../adapters/tables/rosterTable.js';

/** Which users a command acts on: every one in the state, those named by object id or UPN (case-insensitive), or those of one wave. */
export type UserSelection = { readonly all: true } | { readonly users: readonly string[] } | { readonly wave: string };

export interface SelectionRule {
  /** The command, for the messages (`retry-parked`). */
  readonly command: string;
  readonly state: RolloutState;
  /** The state in words, for "not parked: ..." */
  readonly stateWord: string;
  readonly errorCode: ErrorCode;
  /** What the refusal says was not done ("Nothing was released."). */
  readonly nothingDone: string;
  readonly rolloutId: string;
}

/**
 * The roster rows a command acts on: those in `rule.state` that the selection names. Named users must all be in the
 * roster and in that state, or the command refuses with one error listing every name at fault (and does nothing).
 * A wave selection takes the users of that wave in the state (`waveOf`); naming nobody is refused too.
 */
export async function selectRosterUsers(roster: Pick<RosterTable, 'rows'>, selection: UserSelection, rule: SelectionRule): Promise<RosterRow[]> {
  const named = 'users' in selection ? new Map(selection.users.map((name) => [name.trim().toLowerCase(), name.trim()])) : null;
  if (named !== null && named.size === 0) throw new RolloutError(rule.errorCode, `${rule.command}: name at least one user (object id or UPN), or pass --all`);
  const found = new Set<string>();
  const wrongState: string[] = [];
  const chosen: RosterRow[] = [];
  for await (const row of roster.rows()) {
    if (isCorruptRow(row)) continue;
    const { id, userPrincipalName } = row.user.directory;
    const progress = row.user.progress;
    if ('wave' in selection) {
      if (progress.state === rule.state && waveOf(progress) === selection.wave) chosen.push(row);
      continue;
    }
    const keys = [id.toLowerCase(), userPrincipalName.toLowerCase()].filter((key) => named === null || named.has(key));
    if (named !== null && keys.length === 0) continue;
    for (const key of keys) found.add(key);
    if (progress.state === rule.state) chosen.push(row);
    else if (named !== null) wrongState.push(`${named.get(keys[0] ?? '') ?? id} (${progress.state})`);
  }
  const unknown = named === null ? [] : [...named.entries()].filter(([key]) => !found.has(key)).map(([, name]) => name);
  if (unknown.length > 0 || wrongState.length > 0) {
    const parts = [
      ...(unknown.length > 0 ? [`not in the roster of rollout ${rule.rolloutId}: ${unknown.join(', ')}`] : []),
      ...(wrongState.length > 0 ? [`not ${rule.stateWord}: ${wrongState.join(', ')}`] : []),
    ];
    throw new RolloutError(rule.errorCode, `${rule.command}: ${parts.join('; ')}. ${rule.nothingDone}`);
  }
  if ('wave' in selection && chosen.length === 0) {
    throw new RolloutError(rule.errorCode, `${rule.command}: no user of wave ${selection.wave} is ${rule.stateWord}. ${rule.nothingDone}`);
  }
  return chosen;
}

/** The wave a user's state is about: the rolled-back wave, the wave that failed or parked them, the wave writing or announcing them. */
function waveOf(progress: RolloutProgress): string | null {
  switch (progress.state) {
    case 'new':
      return null;
    case 'announced':
      return progress.waveId;
    case 'inFlight':
      return progress.pending.waveId;
    case 'active':
      return progress.journey.enteredWaveId;
    case 'failed':
    case 'parked':
      return progress.failure.waveId;
    case 'rolledBack':
      return progress.rollback.targetWaveId;
  }
}
