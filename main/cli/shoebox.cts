#!/usr/bin/env node
// The `shoebox` command's entry: a CommonJS launcher that sizes libuv's I/O thread pool before
// Node's ESM loader first uses it ([Note: I/O threads]), then loads the command (shoebox.ts).
import { sizeIoThreadPool } from '../core/io-threads.cjs';

sizeIoThreadPool();
import('./shoebox.js').catch((err: unknown) => {
  process.stderr.write(`shoebox: could not load the command (${(err as Error)?.message ?? String(err)}).\n`);
  process.exitCode = 1;
});
