import fs from 'node:fs';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { fsPath } from '../media/raw-names.js';

/**
 * [Note: Same folder, whatever the path]
 * "Is this folder inside the library / inside a watch / the same as one" must not be answered
 * by comparing path strings: a symlink or a bind mount gives one folder many paths, and a
 * library reached through a symlink inside a watched folder would back itself up. Every such
 * rule goes through this file: paths are resolved to real paths, and folders are compared by
 * device + inode, walking up the real path of the inner one (so a bind mount is seen through).
 * A path that does not exist yet (an export destination) is judged by its deepest existing
 * ancestor.
 */

/** A folder's identity on disk. */
export interface FolderId {
  dev: number;
  ino: number;
}

/** The identity of an existing path, or null if it does not exist. */
export function folderId(p: string): FolderId | null {
  try {
    const st = fs.statSync(p);
    return { dev: Number(st.dev), ino: Number(st.ino) };
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES')) return null;
    throw err;
  }
}

/** True if both identities name the same folder. */
export function sameFolder(a: FolderId | null, b: FolderId | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}

/**
 * The real path of `p` (symlinks resolved). For a path that does not exist (yet), the real path
 * of its deepest existing ancestor joined with the rest.
 */
export function realPath(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(cur), ...rest.reverse());
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ENOTDIR', 'ELOOP', 'EACCES')) throw err;
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

/**
 * How `inner` relates to the folder `outer`: 'same' folder, 'inside' it, or null. Both may be
 * reached through symlinks or bind mounts. Where `outer` does not exist (an unplugged drive),
 * its real path is compared as a string.
 */
export function folderRelation(outer: string, inner: string): 'same' | 'inside' | null {
  const outerReal = realPath(outer);
  const innerReal = realPath(inner);
  const outerId = folderId(outerReal);
  if (outerId === null) {
    if (innerReal === outerReal) return 'same';
    return isInsidePath(outerReal, innerReal) ? 'inside' : null;
  }
  let cur = innerReal;
  let first = true;
  for (;;) {
    if (sameFolder(folderId(cur), outerId)) return first ? 'same' : 'inside';
    if (cur === outerReal) return first ? 'same' : 'inside'; // e.g. a folder we cannot stat
    const parent = path.dirname(cur);
    if (parent === cur) return null;
    cur = parent;
    first = false;
  }
}

/** True if `inner` is `outer` or inside it (see folderRelation). */
export function isSameOrInside(outer: string, inner: string): boolean {
  return folderRelation(outer, inner) !== null;
}

/** String test on already-resolved paths: `child` is strictly below `parent`. */
function isInsidePath(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Recognizes one folder (the library, inside a tree being walked or watched) whatever path
 * reaches it: by path prefix as seen from `under` (cheap enough for every watcher event), and
 * by device + inode for each folder entered (sees bind mounts too).
 */
export class FolderMatcher {
  private readonly id: FolderId | null;
  private readonly prefixes: string[];

  constructor(folder: string, under?: string) {
    const abs = path.resolve(folder);
    const real = realPath(abs);
    this.id = folderId(real);
    this.prefixes = [...new Set([abs, real])];
    if (under !== undefined) {
      const underAbs = path.resolve(under);
      const underReal = realPath(underAbs);
      if (isInsidePath(underReal, real)) this.prefixes.push(path.join(underAbs, path.relative(underReal, real)));
    }
  }

  /** True if `p` is the folder or inside it, judged by path. */
  coversPath(p: string): boolean {
    return this.prefixes.some((x) => p === x || p.startsWith(`${x}${path.sep}`));
  }

  /** True if the folder at `p` is this folder (by device + inode). */
  async isFolder(p: string): Promise<boolean> {
    if (this.id === null) return false;
    try {
      const st = await fs.promises.stat(fsPath(p)); // a name byte that is not UTF-8 as its byte (raw-names.ts)
      return Number(st.ino) === this.id.ino && Number(st.dev) === this.id.dev;
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EPERM', 'ELOOP')) return false;
      throw err;
    }
  }
}
