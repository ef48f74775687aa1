import { isSupportedCountry, parsePhoneNumberWithError, ParseError, type CountryCode, type PhoneNumber } from 'libphonenumber-js/core';
// The full ("max") metadata: `getType()` needs it. Imported by package path, which is what `libphonenumber-js/max` does.
import maxMetadata from 'libphonenumber-js/metadata.max.json';
import type { PhoneStatus } from './rosterUser.js';

export interface MobileClassification {
  readonly status: PhoneStatus;
  /** Graph's phone method form `+{country code} {national number}`; only for `validMobile`. */
  readonly graphNumber?: string;
}

/**
 * Classifies the synced `mobilePhone` profile value (what a helpdesk typed into on-prem AD) with the full
 * libphonenumber metadata (Graph's number form: docs/graph-behaviour.md#phone-methods).
 *
 * - null or blank: `missing`.
 * - MOBILE and FIXED_LINE_OR_MOBILE (US/CA, DK never tell them apart) are `validMobile`; any other type of a
 *   valid number (FIXED_LINE, VOIP, TOLL_FREE, PREMIUM_RATE, PAGER, UAN, ...) is `landline`, and so is a valid
 *   number whose type the metadata cannot tell: only a number known to take SMS counts as a mobile.
 * - A valid number with an extension is `hasExtension` (Graph would accept `x12`, but a mobile has none).
 * - `00` as international prefix works with any default region (and without one): when the value starts with
 *   `00` and does not parse as a valid number of the default region, it is read again with `+` in place of `00`.
 * - A number in national form (no `+`, no `00`) without a default region is `noCountryCode`.
 * - Anything else that is not a valid number is `invalid`.
 * - A default region the metadata does not know (MFA_DEFAULT_PHONE_REGION=XX passes the config's two-capitals
 *   check) counts as no region: libphonenumber would otherwise refuse even `+` numbers with INVALID_COUNTRY.
 */
export function classifyMobile(raw: string | null, defaultRegion: string | undefined): MobileClassification {
  if (raw === null || raw.trim() === '') return { status: 'missing' };
  const value = raw.trim();
  const region = supportedRegion(defaultRegion);

  let parsed = parse(value, region);
  const internationalPrefix = /^[^\d+]*00/.exec(value);
  if ((parsed === undefined || !parsed.isValid()) && internationalPrefix !== null) {
    parsed = parse(`+${value.slice(internationalPrefix[0].length)}`, undefined) ?? parsed;
  }

  if (parsed === undefined) {
    const international = internationalPrefix !== null || /^[^\d+]*\+/.test(value);
    return { status: region === undefined && !international && /\d/.test(value) ? 'noCountryCode' : 'invalid' };
  }
  if (!parsed.isValid()) return { status: 'invalid' };
  if (parsed.ext !== undefined && parsed.ext !== '') return { status: 'hasExtension' };
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return { status: 'landline' };
  return { status: 'validMobile', graphNumber: `+${parsed.countryCallingCode} ${parsed.nationalNumber}` };
}

function supportedRegion(region: string | undefined): CountryCode | undefined {
  return region !== undefined && isSupportedCountry(region as CountryCode, maxMetadata) ? (region as CountryCode) : undefined;
}

function parse(value: string, region: CountryCode | undefined): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(value, region === undefined ? {} : { defaultCountry: region }, maxMetadata);
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}
