/** Why Graph kept a mobile phone method the rollback asked it to delete (docs/graph-behaviour.md#phone-methods). */
export type PhoneRemovalRefusal = 'alternateMobilePresent' | 'defaultMethod';

export const phoneRemovalRefusalReasons: Readonly<Record<PhoneRemovalRefusal, string>> = {
  alternateMobilePresent: 'the user has an alternate mobile, which Graph does not allow without a mobile; remove the alternate first',
  defaultMethod: "it is the user's default MFA method; the user changes their default method (My Sign-Ins), then the mobile can go",
};

/**
 * Reads a refused (400) delete of the `mobile` method from what the user has now: Graph documents two refusals and no
 * answer for either, so the reason is taken from the methods, never from the answer's text. An alternate mobile
 * explains it; otherwise the remaining documented refusal, the default MFA method (which v1.0 does not show), is the
 * reason. A mobile that is gone was removed after all.
 */
export function classifyPhoneRemovalRefusal(phoneTypesNow: readonly string[]): PhoneRemovalRefusal | 'removed' {
  if (!phoneTypesNow.includes('mobile')) return 'removed';
  return phoneTypesNow.includes('alternateMobile') ? 'alternateMobilePresent' : 'defaultMethod';
}
