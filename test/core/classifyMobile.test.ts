import { describe, expect, it } from '@jest/globals';
import { classifyMobile } from '../../shared/core/classifyMobile.js';

describe('classifyMobile: the synced numbers a helpdesk types, and what each becomes', () => {
  it('+1 (206) 555-0100, US: FIXED_LINE_OR_MOBILE counts as a mobile', () => {
    expect(classifyMobile('+1 (206) 555-0100', 'US')).toEqual({ status: 'validMobile', graphNumber: '+1 2065550100' });
  });

  it('+44 20 7946 0958, GB: a London landline', () => {
    expect(classifyMobile('+44 20 7946 0958', 'GB')).toEqual({ status: 'landline' });
  });

  it('+44 7700 900123, GB: the drama range is invalid', () => {
    expect(classifyMobile('+44 7700 900123', 'GB')).toEqual({ status: 'invalid' });
  });

  it('0046701234567, SE: international prefix 00', () => {
    expect(classifyMobile('0046701234567', 'SE')).toEqual({ status: 'validMobile', graphNumber: '+46 701234567' });
  });

  it('070-123 45 67, SE: national form resolved by the default region', () => {
    expect(classifyMobile('070-123 45 67', 'SE')).toEqual({ status: 'validMobile', graphNumber: '+46 701234567' });
  });

  it('+46 8 123 456 78, SE: a Stockholm landline', () => {
    expect(classifyMobile('+46 8 123 456 78', 'SE')).toEqual({ status: 'landline' });
  });

  it('+48 0048 601 234 567, PL: doubled country prefix is invalid', () => {
    expect(classifyMobile('+48 0048 601 234 567', 'PL')).toEqual({ status: 'invalid' });
  });

  it('+45 20 12 34 56, DK: FIXED_LINE_OR_MOBILE counts as a mobile', () => {
    expect(classifyMobile('+45 20 12 34 56', 'DK')).toEqual({ status: 'validMobile', graphNumber: '+45 20123456' });
  });

  it('+1 206 555 0100 x12, US: an extension is not a mobile', () => {
    expect(classifyMobile('+1 206 555 0100 x12', 'US')).toEqual({ status: 'hasExtension' });
  });

  it('+49 1512 3456789, DE: a mobile', () => {
    expect(classifyMobile('+49 1512 3456789', 'DE')).toEqual({ status: 'validMobile', graphNumber: '+49 15123456789' });
  });

  it('12345, US: too short is invalid', () => {
    expect(classifyMobile('12345', 'US')).toEqual({ status: 'invalid' });
  });
});

describe('classifyMobile: beyond the table', () => {
  it('null is missing', () => {
    expect(classifyMobile(null, 'SE')).toEqual({ status: 'missing' });
  });

  it('blank is missing', () => {
    expect(classifyMobile('   ', 'SE')).toEqual({ status: 'missing' });
  });

  it('national form without a default region is noCountryCode', () => {
    expect(classifyMobile('070-123 45 67', undefined)).toEqual({ status: 'noCountryCode' });
  });

  it('00 prefix works without a default region', () => {
    expect(classifyMobile('0046701234567', undefined)).toEqual({ status: 'validMobile', graphNumber: '+46 701234567' });
  });

  it('00 prefix works with a region whose own international prefix differs (US dials 011)', () => {
    expect(classifyMobile('00 46 70 123 45 67', 'US')).toEqual({ status: 'validMobile', graphNumber: '+46 701234567' });
  });

  it('+ form needs no default region', () => {
    expect(classifyMobile('+46 70 123 45 67', undefined)).toEqual({ status: 'validMobile', graphNumber: '+46 701234567' });
  });

  it('text that is no number is invalid, with or without a region', () => {
    expect(classifyMobile('n/a', 'SE')).toEqual({ status: 'invalid' });
    expect(classifyMobile('n/a', undefined)).toEqual({ status: 'invalid' });
  });

  it('an unknown country calling code is invalid, not noCountryCode', () => {
    expect(classifyMobile('+999 123 456', undefined)).toEqual({ status: 'invalid' });
  });

  it.each([
    ['TOLL_FREE', '+1 800 555 0100'],
    ['VOIP', '+44 56 1234 5678'],
    ['PREMIUM_RATE', '+44 909 876 0000'],
    ['PERSONAL_NUMBER', '+44 70 1234 5678'],
    ['UAN', '+44 33 1234 5678'],
  ])('a %s number is landline', (_type, number) => {
    expect(classifyMobile(number, undefined)).toEqual({ status: 'landline' });
  });

  it('a mobile with an extension is hasExtension', () => {
    expect(classifyMobile('+46 70 123 45 67 ext. 5', 'SE')).toEqual({ status: 'hasExtension' });
  });

  it('an unknown default region counts as none: + numbers still parse, national ones lack a country code', () => {
    expect(classifyMobile('+46 70 123 45 67', 'XX')).toEqual({ status: 'validMobile', graphNumber: '+46 701234567' });
    expect(classifyMobile('070-123 45 67', 'XX')).toEqual({ status: 'noCountryCode' });
  });

  it('surrounding spaces do not matter', () => {
    expect(classifyMobile('  +49 1512 3456789 ', undefined)).toEqual({ status: 'validMobile', graphNumber: '+49 15123456789' });
  });
});
