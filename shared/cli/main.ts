#!/usr/bin/env node
import { isRolloutError } from '../errors/RolloutError.js';
import { buildProgram } from './program.js';

/** `mfa-rollout`: the operator's command line (see program.ts). */
try {
  await buildProgram({ out: process.stdout }).parseAsync(process.argv);
} catch (error) {
  if (isRolloutError(error)) {
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = error.code === 'CONFIG_INVALID' || error.code === 'BREAK_GLASS_MISSING' ? 2 : 1;
  } else {
    throw error;
  }
}
