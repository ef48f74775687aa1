export interface NightRow {
  readonly night: number;
  readonly date: string;
  readonly outcome: string;
  readonly targetSize: number;
  readonly pilot: boolean;
  readonly announced: number;
  readonly phoneMethods: number;
  readonly enforced: number;
  readonly alreadyDone: number;
  readonly failed: number;
  /** Everyone not enforced tonight, by reason (from the plan). */
  readonly waiting: Readonly<Record<string, number>>;
  readonly note: string;
  /** Cumulative: users enforced, of them verified registered, and stuck (not registered after MFA_STUCK_AFTER_DAYS). */
  readonly registration: { readonly enforced: number; readonly registered: number; readonly stuck: number };
}

export const nightTableHeader =
  'night date        outcome    wave   announced phones enforced (already) failed  registered/total stuck  skipped by reason';

/** The reasons worth a column's attention each night (the rest are in the final summary). */
const shownReasons = ['awaitingNotice', 'promisedDate', 'pilotFirst', 'laterWave', 'inFlight', 'parked'];

export function renderNightRow(row: NightRow): string {
  const skipped = shownReasons
    .filter((reason) => (row.waiting[reason] ?? 0) > 0)
    .map((reason) => `${reason} ${row.waiting[reason]}`)
    .join(', ');
  const wave = row.outcome === 'held' ? '-' : `${row.targetSize}${row.pilot ? 'p' : ''}`;
  return [
    String(row.night).padStart(5),
    row.date.padEnd(11),
    row.outcome.padEnd(10),
    wave.padStart(5),
    String(row.announced).padStart(11),
    String(row.phoneMethods).padStart(6),
    String(row.enforced).padStart(8),
    `(${row.alreadyDone})`.padStart(9),
    String(row.failed).padStart(6),
    `${row.registration.registered}/${row.registration.enforced}`.padStart(17),
    String(row.registration.stuck).padStart(5),
    ` ${skipped}${row.note === '' ? '' : ` — ${row.note}`}`,
  ].join(' ');
}
