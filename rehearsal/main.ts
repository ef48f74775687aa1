#!/usr/bin/env node
import { runRehearsalCommandLine } from './rehearsalProgram.js';

/** `npm run rehearse -- --users 300 --nights 5`: the rehearsal (see rehearsalProgram.ts). */
process.exitCode = await runRehearsalCommandLine(process.argv, { out: process.stdout, err: process.stderr });
