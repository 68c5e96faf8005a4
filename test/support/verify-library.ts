import { CatalogDb } from '../../main/core/catalog/catalog.js';
import { checkLibrary, type LibraryProblem } from '../../main/core/check/library-check.js';
import { libraryPaths } from '../../main/core/library/library-location.js';
import { filesUnder } from './files-under.js';

export { filesUnder };

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

