#!/usr/bin/env node
// The `shoebox` command's entry: a CommonJS launcher that sizes libuv's I/O thread pool before
// Node's ESM loader first uses it ([Note: I/O threads]), then loads the command (shoebox.ts).

try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- inside try: the command still runs (with Node's default) if this cannot load
  (require('../core/io-threads.cjs') as typeof import('../core/io-threads.cjs')).sizeIoThreadPool();
} catch {
  // A missing or unloadable module only costs speed here; loading the command below says what is wrong.
}
import('./shoebox.js').catch((err: unknown) => {
  const code = (err as NodeJS.ErrnoException)?.code;
  const limit = code === 'EMFILE' || code === 'ENFILE';
  process.stderr.write(
    limit
      ? 'shoebox: could not load its own modules: too many open files for this process. Raise the limit (`ulimit -n 4096`) and run again.\n'
      : `shoebox: could not load the command (${(err as Error)?.message ?? String(err)}); the installation looks incomplete: run \`npm run build\` (or reinstall).\n`,
  );
  process.exitCode = limit ? 8 : 1; // ExitCode.resources, ExitCode.internal (exit-codes.ts)
});
