#!/usr/bin/env node
// The `shoebox` command (loaded by its launcher, shoebox.cts): a thin shell over the engine (see program.ts for the commands). This
// entry loads as little as possible before it has guarded the process: the program itself is
// loaded afterwards, so a failure to load it (a low open-files limit) is reported clearly too.
import { ExitCode } from './exit-codes.js';
import { describeFatal, guardOutput, preflight } from './process-guards.js';

const setExitCode = (code: number) => {
  process.exitCode = code;
};
guardOutput(process.stdout, 'stdout', setExitCode);
guardOutput(process.stderr, 'stderr', setExitCode);
const fatal = (err: unknown) => {
  const { message, resourceLimit } = describeFatal(err);
  process.stderr.write(message);
  process.exitCode = resourceLimit ? ExitCode.resources : ExitCode.internal;
};
// Errors raised outside any command's promise chain (a worker failing in the background).
process.on('uncaughtException', (err) => {
  fatal(err);
  process.exit();
});
process.on('unhandledRejection', (err) => {
  fatal(err);
  process.exit();
});

const refused = preflight();
if (refused) {
  fatal(refused);
} else {
  try {
    const { runCli } = await import('./program.js');
    const code = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
    process.exitCode ||= code;
  } catch (err) {
    fatal(err);
  }
}
