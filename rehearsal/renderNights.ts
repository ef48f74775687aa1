/**
 * One row of the rehearsal's night table. Nightly figures are what happened that night and the day after it; the
 * Graph figures are counted in the sandbox tenant (through its admin API) at the end of that day.
 */
export interface NightRow {
  readonly night: number;
  readonly date: string;
  /** The night's outcome (a wave's status, held, nothingToDo, halted…). */
  readonly outcome: string;
  /** The wave size aimed for tonight (0 when held or halted). */
  readonly targetSize: number;
  /** Phone bridges the wave put in place tonight (mobile methods created or corrected). */
  readonly bridged: number;
  /** Registration-campaign prompts shown during the day's sign-ins. */
  readonly nudged: number;
  /** Passkeys users registered during the day (at a prompt, with a pass, or at the blocking prompt). */
  readonly passkeysRegistered: number;
  /** Graph: users in the phishing-resistant group, at the end of the day. */
  readonly phishingResistant: number;
  /** Graph: users in scope whose only methods are SMS/voice phones, at the end of the day. */
  readonly smsOnly: number;
  /** Temporary Access Passes issued tonight to the stragglers the rollout named. */
  readonly tapsIssued: number;
  /** Sign-ins the blocking prompt stopped during the day. */
  readonly blocked: number;
  readonly note: string;
  /** Users whose MFA the wave required tonight, and its failed users (the on-call report's figures). */
  readonly enforced: number;
  readonly failed: number;
  /** Cumulative, from the roster as the on-call report counts it: users enforced, of them seen registered, and stuck. */
  readonly registration: { readonly enforced: number; readonly registered: number; readonly stuck: number };
}

export const nightTableHeader = 'night date        outcome      wave  bridged  nudged  passkeys  phish-res  sms-only  taps  blocked';

export function renderNightRow(row: NightRow): string {
  return [
    String(row.night).padStart(5),
    row.date.padEnd(11),
    row.outcome.padEnd(11),
    String(row.targetSize).padStart(5),
    String(row.bridged).padStart(8),
    String(row.nudged).padStart(7),
    String(row.passkeysRegistered).padStart(9),
    String(row.phishingResistant).padStart(10),
    String(row.smsOnly).padStart(9),
    String(row.tapsIssued).padStart(5),
    String(row.blocked).padStart(8),
    row.note === '' ? '' : ` ${row.note}`,
  ].join(' ').trimEnd();
}
