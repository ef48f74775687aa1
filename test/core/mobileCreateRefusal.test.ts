import { describe, expect, it } from '@jest/globals';
import { classifyMobileCreateRefusal } from '../../shared/core/mobileCreateRefusal.js';

describe('classifyMobileCreateRefusal', () => {
  it('decides by the numbers, in either form Graph shows them', () => {
    expect(classifyMobileCreateRefusal('+46 701234567', '+46 701234567', 'SE')).toBe('alreadyThere');
    expect(classifyMobileCreateRefusal('+46 701234567', '+46701234567', 'SE')).toBe('alreadyThere');
    expect(classifyMobileCreateRefusal('+46 701234567', '+46 709999999', 'SE')).toBe('conflict');
    expect(classifyMobileCreateRefusal('+46 701234567', null, 'SE')).toBe('invalid');
    expect(classifyMobileCreateRefusal('+46 701234567', '+46701234567', undefined)).toBe('alreadyThere');
  });
});
