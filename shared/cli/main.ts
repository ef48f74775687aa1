#!/usr/bin/env node
import { runCommandLine } from './runCommandLine.js';

/** `mfa-rollout`: the operator's command line (see program.ts); exit codes in exitCodes.ts. */
process.exitCode = await runCommandLine(process.argv, { out: process.stdout, err: process.stderr });
