import { getExampleNumber, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { digitTemplate } from './digitTemplate.js';
import type { Random } from './random.js';

/** A generated number as a helpdesk might have typed it, with its canonical forms. */
export interface GeneratedNumber {
  /** What goes into `mobilePhone` / `businessPhones`. */
  readonly text: string;
  /** E.164, e.g. `+46701234567`. */
  readonly e164: string;
  /** Graph's phone-method form, `+{CC} {national}`, e.g. `+46 701234567`. */
  readonly graphForm: string;
}

export interface PhoneNumbers {
  /** A unique valid mobile (MOBILE, or FIXED_LINE_OR_MOBILE where the plan does not split), in an international form. */
  mobile(country: CountryCode): GeneratedNumber;
  /** A unique valid mobile of the home country written nationally (`070-123 45 67`) or with the `00` prefix. */
  nationalMobile(): GeneratedNumber;
  /** A unique valid mobile followed by an extension (`x12`, `ext. 123`). */
  mobileWithExtension(country: CountryCode): GeneratedNumber;
  /** A unique valid FIXED_LINE number in an international form (another country's when `country` has no landline seeds). */
  landline(country: CountryCode): GeneratedNumber;
  /** An office number for `businessPhones` (neither unique nor checked number by number). */
  officePhone(country: CountryCode): string;
  /** Something a helpdesk typed that libphonenumber-js rejects, with or without a default region. */
  invalid(country: CountryCode): string;
}

/** Fixed-line starting points (checked against libphonenumber-js/max); their last four digits are varied. */
const landlineSeeds: Partial<Record<CountryCode, readonly string[]>> = {
  SE: ['+46812345678', '+46313456789', '+46401234567'],
  GB: ['+442079460958', '+441614960000', '+441314960000'],
  DE: ['+493012345678', '+498912345678', '+494012345678'],
  PL: ['+48221234567', '+48123456789'],
  NO: ['+4721234567', '+4722123456'],
  FI: ['+35891234567'],
  NL: ['+31201234567', '+31101234567'],
  FR: ['+33123456789', '+33142345678'],
};

/** NANP area codes for US/CA numbers (one example area code is not enough for unique numbers). */
const nanpAreaCodes = ['206', '212', '312', '415', '617', '512', '303', '404', '425', '646'];

const placeholderTexts = ['n/a', 'N/A', '-', 'TBD', 'unknown', 'see Teams', '000', '123456'];

const maxAttempts = 200;

type Spelling = 'international' | 'e164' | 'graph' | 'dashed' | 'trunk' | 'national' | 'nationalDigits' | 'idd' | 'iddSpaced';

/**
 * Numbers that libphonenumber-js/max confirms: every drawn number is parsed and typed, and each spelling is
 * verified by parsing it back the first time it is used for a number of that shape (country, length, leading digits).
 */
export function createPhoneNumbers(random: Random, homeCountry: CountryCode): PhoneNumbers {
  const used = new Set<string>();
  const templates = new Map<string, { international: string; national: string }>();
  const verifiedSpellings = new Map<string, boolean>();

  const isMobileType = (type: string | undefined): boolean => type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';

  const draw = (candidate: () => string, accept: (type: string | undefined) => boolean, what: string): PhoneNumber => {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      const number = parsePhoneNumberFromString(candidate());
      // With full metadata a number is valid exactly when it has a type.
      if (number !== undefined && !used.has(number.number) && accept(number.getType())) {
        used.add(number.number);
        return number;
      }
    }
    throw new RangeError(`phoneNumbers: could not draw a unique ${what}`);
  };

  const randomMobile = (country: CountryCode): PhoneNumber => {
    const example = getExampleNumber(country, mobileExamples);
    if (example === undefined) throw new RangeError(`phoneNumbers: no example mobile number for country '${country}'`);
    const code = example.countryCallingCode;
    const national = String(example.nationalNumber);
    const keep = national.length > 9 ? 3 : 2;
    const candidate =
      code === '1'
        ? () => `+1${random.pick(nanpAreaCodes)}${random.int(2, 9)}${random.digits(6)}`
        : () => `+${code}${national.slice(0, keep)}${random.digits(national.length - keep)}`;
    return draw(candidate, isMobileType, `mobile number for country '${country}'`);
  };

  const randomLandline = (country: CountryCode): PhoneNumber => {
    const seeds = landlineSeeds[country] ?? landlineSeeds[homeCountry] ?? landlineSeeds.GB ?? [];
    return draw(() => `${random.pick(seeds).slice(0, -4)}${random.digits(4)}`, (type) => type === 'FIXED_LINE', `landline number for country '${country}'`);
  };

  const shapeOf = (number: PhoneNumber): string => `${number.countryCallingCode}:${number.nationalNumber.length}:${number.nationalNumber.slice(0, 4)}`;

  const spell = (number: PhoneNumber, spelling: Spelling): string => {
    const code = number.countryCallingCode;
    const national = String(number.nationalNumber);
    const shape = shapeOf(number);
    let template = templates.get(shape);
    if (template === undefined) {
      template = { international: number.formatInternational(), national: number.formatNational() };
      templates.set(shape, template);
    }
    const international = digitTemplate(template.international, national);
    const rest = international.slice(code.length + 2);
    switch (spelling) {
      case 'international':
        return international;
      case 'e164':
        return number.number;
      case 'graph':
        return `+${code} ${national}`;
      case 'dashed':
        return `+${code}-${rest.replace(/ /g, '-')}`;
      case 'trunk':
        return code === '1' ? `+1 ${digitTemplate(template.national, national)}` : `+${code} (0)${rest}`;
      case 'national':
        return digitTemplate(template.national, national);
      case 'nationalDigits':
        return digitTemplate(template.national, national).replace(/\D/g, '');
      case 'idd':
        return `00${code}${national}`;
      case 'iddSpaced':
        return `00${code} ${rest}`;
    }
  };

  /** Spells `number` the chosen way if that spelling of this shape parses back correctly, else the fallback spelling. */
  const spellChecked = (number: PhoneNumber, choice: Spelling, fallback: Spelling, check: (text: string) => boolean): string => {
    const key = `${shapeOf(number)}:${choice}`;
    let ok = verifiedSpellings.get(key);
    const text = spell(number, choice);
    if (ok === undefined) {
      ok = check(text);
      verifiedSpellings.set(key, ok);
    }
    return ok ? text : spell(number, fallback);
  };

  const generated = (number: PhoneNumber, text: string): GeneratedNumber => ({
    text,
    e164: number.number,
    graphForm: `+${number.countryCallingCode} ${number.nationalNumber}`,
  });

  const reparsesAs = (number: PhoneNumber, accept: (type: string | undefined) => boolean, region?: CountryCode) => (text: string): boolean => {
    const parsed = region === undefined ? parsePhoneNumberFromString(text) : parsePhoneNumberFromString(text, region);
    return parsed !== undefined && parsed.number === number.number && parsed.ext === undefined && accept(parsed.getType());
  };

  const internationalSpellings: readonly Spelling[] = ['international', 'international', 'e164', 'graph', 'dashed', 'trunk'];

  return {
    mobile: (country) => {
      const number = randomMobile(country);
      return generated(number, spellChecked(number, random.pick(internationalSpellings), 'international', reparsesAs(number, isMobileType)));
    },

    nationalMobile: () => {
      const number = randomMobile(homeCountry);
      const spellings: Spelling[] = ['national', 'national', 'nationalDigits'];
      if (number.countryCallingCode !== '1') spellings.push('idd', 'iddSpaced');
      const check = (text: string): boolean =>
        reparsesAs(number, isMobileType, homeCountry)(text) && parsePhoneNumberFromString(text)?.getType() === undefined;
      return generated(number, spellChecked(number, random.pick(spellings), 'national', check));
    },

    mobileWithExtension: (country) => {
      const number = randomMobile(country);
      const extension = String(random.int(10, 9999));
      const text = `${spell(number, 'international')}${random.pick([' x', ' ext. ', ' ext ', ' x '])}${extension}`;
      return generated(number, text);
    },

    landline: (country) => {
      const number = randomLandline(country);
      const spelling = random.pick(internationalSpellings);
      return generated(number, spellChecked(number, spelling, 'international', reparsesAs(number, (type) => type === 'FIXED_LINE')));
    },

    officePhone: (country) => {
      const seeds = landlineSeeds[country];
      const key = `office:${country}`;
      let template = templates.get(key);
      if (template === undefined) {
        const seed = seeds?.[0] ?? (country === 'US' ? '+12065550100' : undefined);
        const parsed = seed === undefined ? getExampleNumber(country, mobileExamples) : parsePhoneNumberFromString(seed);
        const international = parsed?.formatInternational() ?? '+1 206 555 0100';
        template = { international, national: international };
        templates.set(key, template);
      }
      return digitTemplate(template.international, random.digits(4));
    },

    invalid: (country) => {
      const example = getExampleNumber(country, mobileExamples);
      const code = example?.countryCallingCode ?? '46';
      const national = String(example?.nationalNumber ?? '701234567');
      const tail = random.digits(national.length - 2);
      const grouped = `${national.slice(0, 2)} ${tail.slice(0, 3)} ${tail.slice(3)}`;
      for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
        const text = random.pick([
          `+${code} 00${code} ${grouped}`,
          `+${code} 00${code} ${grouped}`,
          `+${code} ${national.slice(0, 2)} ${random.digits(2)}`,
          random.digits(5),
          `+${code} ${national.slice(0, 2)} ${tail.slice(0, 2)}A ${tail.slice(3)}`,
          `+${code} ${national}${random.digits(3)}`,
          random.pick(placeholderTexts),
        ]);
        const invalidEverywhere = [undefined, homeCountry, country].every(
          (region) => (region === undefined ? parsePhoneNumberFromString(text) : parsePhoneNumberFromString(text, region))?.isValid() !== true,
        );
        if (invalidEverywhere) return text;
      }
      return 'n/a';
    },
  };
}
