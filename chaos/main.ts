#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { createProgressReporter } from '../shared/cli/progressReporter.js';
import { campaignPassed, renderFigures, runCampaign } from './runCampaign.js';

/**
 * `npm run chaos -- --rounds N --seed S`: randomized kill/fault rounds against the sandbox tenant and Azurite
 * (loopback only), then the figures. Exits 1 when any must-be-zero figure is not zero.
 */
const whole = (name: string, min: number) => (value: string): number => {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min) throw new InvalidArgumentError(`expected ${name} to be a whole number of at least ${min}`);
  return number;
};

const program = new Command('chaos')
  .description('Kill, overlap and fault the rollout at random against the sandbox tenant and Azurite; print what was lost or done twice')
  .option('--rounds <n>', 'rounds (each: a fresh tenant, 1-3 kills, faults, then a clean finish)', whole('--rounds', 1), 30)
  .option('--seed <s>', 'seed of the campaign (same seed, same plan)', whole('--seed', 0), 1)
  .option('--users <n>', 'users in each round\'s tenant', whole('--users', 21), 80)
  .option('--time-limit <minutes>', 'start no round after this many minutes', whole('--time-limit', 1), 8)
  .option('--verbose', 'print every run of every round')
  .option('--no-answer-loss', 'leave out the faults where a write lands and its answer is lost within a run (on by default)')
  .parse();
const options = program.opts<{ rounds: number; seed: number; users: number; timeLimit: number; verbose?: boolean; answerLoss: boolean }>();

// On a terminal: a progress bar of the rounds, and the round lines after it (a line written under a live bar would
// break it). Elsewhere, or with --verbose, the round lines as they come are the progress.
const bar = process.stderr.isTTY === true && options.verbose !== true;
const progress = bar ? createProgressReporter() : null;
const roundLines: string[] = [];
progress?.start('chaos rounds', options.rounds);
let figures;
try {
  figures = await runCampaign({
    rounds: options.rounds,
    seed: options.seed,
    users: options.users,
    timeLimitMs: options.timeLimit * 60_000,
    verbose: options.verbose === true,
    answerLoss: options.answerLoss,
    log: bar ? (line) => roundLines.push(line) : (line) => process.stderr.write(`${line}\n`),
    onRound: (done) => progress?.update(done),
  });
} finally {
  progress?.stop();
  if (roundLines.length > 0) process.stderr.write(`${roundLines.join('\n')}\n`);
}
process.stdout.write(`${renderFigures(figures)}\n`);
process.exitCode = campaignPassed(figures) ? 0 : 1;
