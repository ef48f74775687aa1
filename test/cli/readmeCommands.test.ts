import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Command } from 'commander';
import { exitCodes } from '../../shared/cli/exitCodes.js';
import { buildProgram } from '../../shared/cli/program.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Every command path of the CLI, subcommands included: `plan`, `pilot import`, ... */
function commandPaths(command: Command, prefix = ''): string[] {
  return command.commands.flatMap((sub) => (sub.commands.length > 0 ? commandPaths(sub, `${prefix}${sub.name()} `) : [`${prefix}${sub.name()}`]));
}

describe('README and the command line agree', () => {
  it('lists every command in its Commands block', () => {
    const block = /## Commands\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const program = buildProgram({ out: process.stdout });
    for (const path of commandPaths(program)) expect(block).toMatch(new RegExp(`^npx mfa-rollout ${path}\\b`, 'm'));
    expect(block).toMatch(/^npx mfa-rollout --version/m);
  });

  it('documents every exit code exactly as the exit table says', () => {
    const rows = [...readme.matchAll(/^\| (\d+) \| (.+) \|$/gm)].map((match) => [Number(match[1]), match[2]]);
    expect(rows).toEqual(Object.values(exitCodes).map((exit) => [exit.code, exit.meaning]));
  });
});
