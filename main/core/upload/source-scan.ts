import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ShoeboxError, isErrno } from '../errors.js';
import { FolderMatcher } from '../library/path-identity.js';
import { isIgnoredName } from '../media/media-type.js';
import { fsPath, nameFromBytes } from '../media/raw-names.js';
import { kernelFolderOf } from '../system-folders.js';

const STAT_BATCH = 64;

/** A regular file found under a root, with the stat fields Shoebox keeps. */
export interface ScannedFile {
  path: string;
  /** Folder relative to the root, '' for the root itself. */
  relDir: string;
  size: number;
  mtimeMs: number;
  ino: number;
}

/** A folder or file that could not be read while scanning. */
export interface ScanProblem {
  path: string;
  code: string;
  /** A folder that could not be listed (else a file that could not be looked at). */
  folder: boolean;
}

/**
 * Walks a folder tree depth-first, yielding regular files. Hidden names are skipped; symlinks
 * are not followed (no loops, nothing outside the chosen folder). Unreadable folders are
 * reported through onProblem and skipped, so one bad folder never stops the rest. `skipDir`
 * (the library itself, when it lies inside the tree) is never entered, whatever path reaches
 * it ([Note: Same folder, whatever the path]); with `onLibrary`, neither is any other Shoebox
 * library, which is reported there.
 */
export async function* walkTree(root: string, onProblem: (p: ScanProblem) => void, skipDir?: string, opts: { onLibrary?: (dir: string) => void } = {}): AsyncGenerator<ScannedFile> {
  const skip = skipDir === undefined ? undefined : new FolderMatcher(skipDir, root);
  const stack: string[] = [''];
  while (stack.length > 0) {
    const relDir = stack.pop()!;
    const dir = path.join(root, relDir);
    if (skip && (await skip.isFolder(dir))) continue;
    let entries: Array<import('node:fs').Dirent<Buffer>>;
    try {
      // Names as bytes: one that is not valid UTF-8 keeps its exact bytes (see raw-names).
      entries = await fs.readdir(fsPath(dir), { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      onProblem({ path: dir, code: (err as NodeJS.ErrnoException).code ?? 'EIO', folder: true });
      continue;
    }
    const named = entries.map((e) => ({ e, name: nameFromBytes(e.name) }));
    // Another Shoebox library (a catalog beside an objects/ folder): its blobs are not photos to
    // back up (helper-49: an upload of a folder holding one made an album per blob shard).
    if (opts.onLibrary && named.some(({ e, name }) => name === 'catalog.sqlite' && e.isFile()) && named.some(({ e, name }) => name === 'objects' && e.isDirectory())) {
      opts.onLibrary(dir);
      continue;
    }
    // ... or its objects/ folder, given by itself (helper-50)
    if (opts.onLibrary && relDir === '' && path.basename(dir) === 'objects' && fsSync.existsSync(fsPath(path.join(path.dirname(dir), 'catalog.sqlite')))) {
      opts.onLibrary(path.dirname(dir));
      continue;
    }
    named.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: string[] = [];
    const files: string[] = [];
    for (const { e, name } of named) {
      if (isIgnoredName(name)) continue;
      if (e.isDirectory()) {
        if (!skip?.coversPath(path.join(dir, name))) subdirs.push(path.join(relDir, name));
      } else if (e.isFile()) files.push(path.join(dir, name));
    }
    // Stat a folder's files concurrently (a few at a time): sequential lstat was half of a
    // 100k-file reconcile.
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const batch = files.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(batch.map((p) => fs.lstat(fsPath(p)).catch((err: NodeJS.ErrnoException) => err)));
      for (let j = 0; j < batch.length; j++) {
        const st = stats[j]!;
        if (st instanceof Error) {
          if (st.code !== 'ENOENT') onProblem({ path: batch[j]!, code: st.code ?? 'EIO', folder: false }); // ENOENT: deleted since listed
        }
        else if (st.isFile()) yield { path: batch[j]!, relDir, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ino: Number(st.ino) };
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
}

/** True if the folder has at least one (non-hidden) subfolder: then the user picks single or separate albums. */
export async function hasSubfolders(root: string): Promise<boolean> {
  const entries = await fs.readdir(root, { withFileTypes: true });
  return entries.some((e) => e.isDirectory() && !isIgnoredName(e.name));
}

/** Refuses to back up or watch the root folder or a kernel pseudo file system (a mistyped or hostile path). */
export function refuseSystemFolder(p: string): void {
  if (process.platform === 'win32') return;
  if (p === '/' || kernelFolderOf(p)) {
    throw new ShoeboxError('INVALID_ARGUMENT', `${p} is ${p === '/' ? 'the whole system' : 'a folder of the operating system'}, not photos on a disk; choose a folder of your own (like your Pictures folder).`);
  }
}

/** True if nothing is at `p` any more, or something else (another inode) is: a recorded file that moved away. */
export async function vanished(p: string, ino: number): Promise<boolean> {
  try {
    return Number((await fs.lstat(fsPath(p))).ino) !== ino;
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return true;
    throw err;
  }
}
