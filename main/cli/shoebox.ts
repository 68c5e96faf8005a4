#!/usr/bin/env node
// The `shoebox` command: a thin shell over the engine (see program.ts for the commands).
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
process.exitCode = code;
