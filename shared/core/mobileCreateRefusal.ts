import { classifyMobile } from './classifyMobile.js';

/** What a refused (400) create of the `mobile` phone method turns out to be, once the user's methods are read. */
export type MobileCreateRefusal =
  /** A mobile with the very number is there: ours (an earlier answer lost) or the user's own. Nothing to write. */
  | 'alreadyThere'
  /** A mobile with another number is there. */
  | 'conflict'
  /** No mobile is there: Graph refused the number itself. */
  | 'invalid';

/**
 * Graph documents neither status, code nor message for a second `mobile` or a bad number
 * (docs/graph-behaviour.md#phone-methods), so a 400 is decided by comparing numbers, never by the answer's text:
 * the number the rollout sent against the `mobile` the user has now (both normalised, as Graph may show either form).
 */
export function classifyMobileCreateRefusal(sentGraphNumber: string, mobileNow: string | null, defaultRegion: string | undefined): MobileCreateRefusal {
  if (mobileNow === null) return 'invalid';
  const normalised = (number: string): string => classifyMobile(number, defaultRegion).graphNumber ?? number.replace(/\s+/g, ' ').trim();
  return normalised(mobileNow) === normalised(sentGraphNumber) ? 'alreadyThere' : 'conflict';
}
