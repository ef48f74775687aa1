#!/usr/bin/env node
import { CommanderError } from 'commander';
import { runSandboxCli, type RunningCli } from './admin/sandboxCli.js';

/**
 * `npm run sandbox -- --users 500 --seed 7 --port 8443`: runs until SIGINT/SIGTERM. The signal handlers are in place
 * before the ready line is printed, so a parent that signals as soon as it reads the line still gets a clean stop.
 */
let running: RunningCli | undefined;
let stopRequested: NodeJS.Signals | undefined;

const stop = (signal: NodeJS.Signals): void => {
  process.stderr.write(`sandbox: ${signal}, stopping\n`);
  running?.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`sandbox: stop failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
};

const onSignal = (signal: NodeJS.Signals): void => {
  if (stopRequested !== undefined) return;
  stopRequested = signal;
  if (running !== undefined) stop(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  running = await runSandboxCli(process.argv.slice(2), {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  });
  if (stopRequested !== undefined) stop(stopRequested);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
