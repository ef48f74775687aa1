#!/usr/bin/env node
import { buildRehearsalProgram } from './rehearsalProgram.js';

/** `npm run rehearse -- --users 300 --nights 5`: the rehearsal (see rehearsalProgram.ts). */
await buildRehearsalProgram({ out: process.stdout }).parseAsync(process.argv);
