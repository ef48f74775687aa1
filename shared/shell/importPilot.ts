import type { Config } from '../config/configSchema.js';
import { exclusionReason } from '../core/exclusions.js';
import { parsePilotCsv } from '../core/parsePilotCsv.js';
import { RolloutError } from '../errors/RolloutError.js';
import { isCorruptRow } from '../adapters/tables/rosterTable.js';
import type { TablePorts } from './rolloutPorts.js';

export interface PilotImport {
  /** The file's separator: `;` is Excel's in many European locales (accepted, and said so). */
  readonly delimiter: ',' | ';';
  readonly imported: number;
  readonly skipped: number;
  readonly duplicates: number;
  /** Listed users who are excluded (break-glass, guests...): kept out of the pilot, as everywhere. */
  readonly excluded: readonly string[];
}

/**
 * `mfa-rollout pilot import FILE`: validates every row (format, status, user known to the roster) and
 * reports each bad one by line; only a file without problems replaces the pilot list, in one transaction.
 */
export async function importPilot(config: Config, ports: TablePorts, csvText: string, now: Date): Promise<PilotImport> {
  const csv = parsePilotCsv(csvText);
  if (csv.refused) {
    throw new RolloutError('CSV_INVALID', `The pilot CSV is not a file the import reads; nothing was imported:\n${csv.problems.map((problem) => `line ${problem.line}: ${problem.message}`).join('\n')}`);
  }
  const problems = [...csv.problems];
  const byUpn = new Map<string, { id: string; excluded: boolean }>();
  for await (const row of ports.roster.rows()) {
    if (isCorruptRow(row)) continue;
    const user = row.user.directory;
    byUpn.set(user.userPrincipalName.toLowerCase(), { id: user.id, excluded: exclusionReason(user, config) !== null });
  }
  if (byUpn.size === 0) throw new RolloutError('ROSTER_EMPTY', 'The roster is empty: run `mfa-rollout plan` (which refreshes it) before importing a pilot list; nothing was imported');
  const ids: string[] = [];
  const excluded: string[] = [];
  for (const { upn, line } of csv.entries) {
    const user = byUpn.get(upn);
    if (user === undefined) problems.push({ line, message: `no user ${upn} in the directory (as of the last roster refresh)` });
    else if (user.excluded) excluded.push(upn);
    else ids.push(user.id);
  }
  if (problems.length > 0) {
    const lines = problems.sort((a, b) => a.line - b.line).map((problem) => `line ${problem.line}: ${problem.message}`);
    throw new RolloutError('CSV_INVALID', `The pilot CSV has ${problems.length} bad row(s); nothing was imported:\n${lines.join('\n')}`);
  }
  await ports.pilot.replace(ids, now.toISOString());
  return { delimiter: csv.delimiter, imported: ids.length, skipped: csv.skipped, duplicates: csv.duplicates, excluded };
}

/** The config the core sees: the app setting's pilot users plus the imported list. */
export async function withImportedPilot(config: Config, ports: Pick<TablePorts, 'pilot'>): Promise<Config> {
  const imported = await ports.pilot.ids();
  return imported.length === 0 ? config : Object.freeze({ ...config, pilotUsers: [...config.pilotUsers, ...imported] });
}
