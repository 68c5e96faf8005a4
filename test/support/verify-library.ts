import fs from 'node:fs';
import path from 'node:path';
import { CatalogDb } from '../../main/core/catalog/catalog.js';
import { checkLibrary, type LibraryProblem } from '../../main/core/check/library-check.js';
import { libraryPaths } from '../../main/core/library/library-location.js';

/** Runs the full library check (every blob re-hashed) and counts leftover temp files. */
export function verifyLibrary(libraryDir: string): { problems: LibraryProblem[]; tempFiles: number; strayBlobs: number; blobsChecked: number; quarantined: number } {
  const paths = libraryPaths(libraryDir);
  const cdb = CatalogDb.open(paths.catalog);
  try {
    const report = checkLibrary(cdb, paths.objects, { readData: true, quarantineDir: paths.quarantine });
    return { ...report, tempFiles: countFiles(paths.tmp) };
  } finally {
    cdb.close();
  }
}

function countFiles(dir: string): number {
  return filesUnder(dir).length;
}

/** Every file under a folder, at any depth (temp folders hold a folder per process and per thread); none if it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
