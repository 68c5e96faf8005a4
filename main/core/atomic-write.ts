import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a whole file so that readers see the old content or the new, never half of it: the
 * bytes go to a temp file beside it (this process's own), which is then renamed over it. The
 * folder is created if needed, unless `createFolder` is false (files directly in the library
 * folder: a library moved away must not be re-created at its old path).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number, createFolder = true): void {
  if (createFolder) fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`; // unique even for equal pids (PID namespaces)
  fs.writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
  fs.renameSync(tmp, file);
}

/** fsyncs a directory so a rename inside it survives a power cut. */
export function fsyncDir(dir: string): void {
  fsyncOpened(dir, 'r');
}

/** fsyncs a file's data. */
export function fsyncFile(file: string): void {
  fsyncOpened(file, 'r+');
}

function fsyncOpened(p: string, flags: string): void {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
