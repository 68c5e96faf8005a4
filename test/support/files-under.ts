import fs from 'node:fs';
import path from 'node:path';

/** Every file under a folder, at any depth (temp folders hold a folder per process and per thread); none if it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

