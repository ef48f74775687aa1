import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { jsonSyntaxError } from '../../shared/config/jsonSyntaxError.js';

describe('jsonSyntaxError', () => {
  it('finds the first place the text stops being JSON, by line and column', () => {
    expect(jsonSyntaxError('[{"name":"it",}]')).toEqual({ line: 1, column: 15, position: 14, expected: 'a property name in double quotes' });
    expect(jsonSyntaxError('[\n  {"name": "it"},\n  {name: "x"}\n]')).toMatchObject({ line: 3, column: 4, expected: 'a property name in double quotes' });
    expect(jsonSyntaxError('[1,]')).toMatchObject({ position: 3, expected: 'another value after the comma (JSON allows no trailing comma)' });
    expect(jsonSyntaxError('[{"a":1}')).toMatchObject({ position: 8, expected: "',' or ']' after the array element" });
    expect(jsonSyntaxError('')).toMatchObject({ position: 0, expected: 'a value, but the text ended' });
    expect(jsonSyntaxError("[{'name':'it'}]")).toMatchObject({ position: 2 });
    expect(jsonSyntaxError('[] x')).toMatchObject({ position: 3, expected: 'the end of the text after the value' });
  });

  it('agrees with JSON.parse on what is JSON', () => {
    fc.assert(fc.property(fc.json(), (text) => jsonSyntaxError(text) === null));
    const jsonish = fc.array(fc.constantFrom('[', ']', '{', '}', '"', ':', ',', ' ', '\n', 'a', '1', '-', '.', 'e', 'true', 'null', '\\', 'u'), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(fc.property(jsonish, (text) => {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      return (jsonSyntaxError(text) === null) === parses;
    }), { numRuns: 2000 });
  });
});
