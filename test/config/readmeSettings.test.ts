import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { settings } from '../../shared/config/configSchema.js';

describe('README settings table', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = new Map(
    [...readme.matchAll(/^\| `(MFA_[A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((match) => [match[1], (match[2] ?? '').trim()]),
  );

  it('lists every setting of the schema once, with its default, and nothing else', () => {
    const expected = Object.values(settings).map((definition) => definition.env).sort();
    expect([...rows.keys()].sort()).toEqual(expected);
    for (const definition of Object.values(settings)) {
      const shown = rows.get(definition.env);
      if (definition.default === undefined) expect(shown === '—' || shown === '**required**').toBe(true);
      else if (definition.default === '') expect(shown).toBe('(empty)');
      else expect(shown).toBe(`\`${definition.default}\``);
    }
  });
});
