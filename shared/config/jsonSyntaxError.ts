/** Where a text stops being JSON: 1-based line and column, and what was expected there (never the text itself). */
export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  /** 0-based offset in the text. */
  readonly position: number;
  readonly expected: string;
}

class Stop extends Error {
  constructor(readonly at: number, readonly expected: string) {
    super(expected);
  }
}

/**
 * Locates the first JSON syntax error in `text`, or returns null for valid JSON. `JSON.parse` names a position for
 * some errors only, and quotes the input for others (`Unexpected token 'o', "not json" is not valid JSON`), which
 * a settings error must never do: this scanner reports the place and what JSON needs there, in words.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at += 1;
  };
  const expect = (char: string, expected: string) => {
    if (text.charAt(at) !== char) throw new Stop(at, expected);
    at += 1;
  };
  const literal = (word: string) => {
    if (text.slice(at, at + word.length) !== word) throw new Stop(at, 'a value (an object, array, string in double quotes, number, true, false or null)');
    at += word.length;
  };
  const string = () => {
    expect('"', 'a string in double quotes');
    for (;;) {
      if (at >= text.length) throw new Stop(at, 'a closing double quote');
      const char = text.charAt(at);
      if (char === '"') {
        at += 1;
        return;
      }
      if (char === '\\') {
        const next = text.charAt(at + 1);
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) throw new Stop(at, 'four hex digits after \\u');
          at += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') at += 2;
        else throw new Stop(at, 'a valid escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\u)');
      } else if (char < ' ') throw new Stop(at, 'no line break or control character inside a string');
      else at += 1;
    }
  };
  const number = () => {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at));
    if (match === null) throw new Stop(at, 'a number');
    at += match[0].length;
  };
  const value = (): void => {
    space();
    const char = text.charAt(at);
    if (char === '{') {
      at += 1;
      space();
      if (text.charAt(at) === '}') {
        at += 1;
        return;
      }
      for (;;) {
        space();
        if (text.charAt(at) !== '"') throw new Stop(at, 'a property name in double quotes');
        string();
        space();
        expect(':', "':' after the property name");
        value();
        space();
        if (text.charAt(at) === ',') {
          at += 1;
          continue;
        }
        expect('}', "',' or '}' after the property value");
        return;
      }
    }
    if (char === '[') {
      at += 1;
      space();
      if (text.charAt(at) === ']') {
        at += 1;
        return;
      }
      for (;;) {
        value();
        space();
        if (text.charAt(at) === ',') {
          at += 1;
          space();
          if (text.charAt(at) === ']') throw new Stop(at, 'another value after the comma (JSON allows no trailing comma)');
          continue;
        }
        expect(']', "',' or ']' after the array element");
        return;
      }
    }
    if (char === '"') return string();
    if (char === '-' || (char >= '0' && char <= '9')) return number();
    if (char === 't') return literal('true');
    if (char === 'f') return literal('false');
    if (char === 'n') return literal('null');
    throw new Stop(at, at >= text.length ? 'a value, but the text ended' : 'a value (an object, array, string in double quotes, number, true, false or null)');
  };

  try {
    value();
    space();
    if (at < text.length) throw new Stop(at, 'the end of the text after the value');
    return null;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at);
    const line = before.split('\n').length;
    const column = error.at - (before.lastIndexOf('\n') + 1) + 1;
    return { line, column, position: error.at, expected: error.expected };
  }
}
