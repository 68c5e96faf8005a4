import fs from 'node:fs/promises';
import path from 'node:path';
import { isDiskFull, isErrno } from '../errors.js';
import { userHome } from '../library/library-location.js';
import { fsPath } from '../media/raw-names.js';
import { NotTheVerifiedFile, notMovable, numbered, present, putBack, type SettledMove, type SystemTrash, type TrashMoveHooks, type TrashPlace } from './system-trash.js';
import { dropReservation, infoFile, realFileOf, trashDiskFull, trashInfo, writeExclusive } from './trash-info.js';

export { encodeTrashPath, trashInfo } from './trash-info.js';

// [Note: The freedesktop Trash]
// Linux file managers (GNOME Files, Dolphin, Thunar…) share one Trash, specified by
// freedesktop.org (Trash spec 1.0). What Shoebox follows of it:
// - Files on the device of $XDG_DATA_HOME (default ~/.local/share) go to the home Trash,
//   $XDG_DATA_HOME/Trash; files on another mount go to that mount's top directory: to
//   $topdir/.Trash/$uid when an administrator made $topdir/.Trash (a real folder, not a symlink,
//   with the sticky bit), else to $topdir/.Trash-$uid, made now (0700). Each has files/ and info/.
//   An existing $uid folder (and its files/, info/) must be a real folder of the user's, not
//   writable by others, as GLib checks: a planted symlink would send photos anywhere. A bad
//   .Trash/$uid falls back to .Trash-$uid; a bad .Trash-$uid is refused with the reason.
// - The info file `info/NAME.trashinfo` is created first, exclusively (O_EXCL: that reserves
//   NAME against every other program), written and fsynced; only then is the file renamed to
//   `files/NAME`. Path= is percent-encoded (RFC 2396), absolute in the home Trash and relative to
//   $topdir in a top-directory Trash; DeletionDate= is local time, YYYY-MM-DDThh:mm:ss.
// - Only a rename moves a file (never a copy: copying a card's photos to the home disk would
//   free nothing where it matters and take long); a file whose Trash is on another device
//   (EXDEV, e.g. a bind mount) is refused, and the reservation removed.

/** A Trash folder and how its info files name paths. */
interface TrashDir {
  dir: string;
  /** $topdir for a top-directory Trash (Path= relative to it), null for the home Trash (absolute). */
  topdir: string | null;
  /** The file's path with its folder's symlinks resolved (what Path= names). */
  realFile: string;
}

/** The freedesktop.org Trash on Linux, implemented in the engine ([Note: The freedesktop Trash]). */
export class FreedesktopTrash implements SystemTrash {
  readonly label = 'the Trash';
  private readonly dataHome: string;
  private readonly uid: number;
  private readonly now: () => number;

  constructor(opts: { dataHome?: string; uid?: number; now?: () => number } = {}) {
    // The spec: an unset, empty or relative $XDG_DATA_HOME means ~/.local/share.
    const xdg = process.env.XDG_DATA_HOME;
    this.dataHome = opts.dataHome ?? (xdg && path.isAbsolute(xdg) ? xdg : path.join(userHome(), '.local', 'share'));
    this.uid = opts.uid ?? process.getuid?.() ?? 0;
    this.now = opts.now ?? Date.now;
  }

  /** The home Trash folder. */
  get homeTrash(): string {
    return path.join(this.dataHome, 'Trash');
  }

  async refusal(file: string): Promise<string | null> {
    try {
      await this.trashFor(file, false);
      return null;
    } catch (err) {
      if (err instanceof TrashRefusal) return err.message;
      throw err;
    }
  }

  async moveToTrash(file: string, hooks: TrashMoveHooks): Promise<TrashPlace> {
    const trash = await this.trashFor(file, true);
    const info = path.join(trash.dir, 'info');
    const files = path.join(trash.dir, 'files');
    const base = path.basename(file);
    for (let n = 1; ; n++) {
      const name = n === 1 ? base : numbered(base, n);
      if ((await present(path.join(files, name))) || (await present(infoFile(trash.dir, name)))) continue;
      hooks.planned({ trashDir: trash.dir, name });
      try {
        await writeExclusive(infoFile(trash.dir, name), trashInfo(trash.realFile, trash.topdir, this.now()), trash.dir);
      } catch (err) {
        if (isErrno(err, 'EEXIST')) continue; // another program took the name meanwhile
        if (isErrno(err, 'EROFS', 'EACCES', 'EPERM')) throw new TrashRefusal(`no usable Trash: ${trash.dir} ${cannotWrite(err)}`);
        throw err;
      }
      await fsyncDir(info);
      try {
        await hooks.beforeMove();
        if (await present(path.join(files, name))) throw new TrashRefusal(`${path.join(files, name)} appeared in the Trash meanwhile`);
        await fs.rename(fsPath(file), fsPath(path.join(files, name)));
      } catch (err) {
        await fs.rm(fsPath(infoFile(trash.dir, name)), { force: true });
        if (isErrno(err, 'EXDEV')) throw new TrashRefusal(`${trash.dir} is on another drive than ${file} (a bind mount?), and Shoebox moves files only within a drive`);
        throw notMovable(err, file) ?? err;
      }
      if (!(await hooks.isVerified(path.join(files, name)))) {
        // Swapped in after the last look: not ours to trash. If it cannot be put back it stays
        // in the Trash with its info file, where a file manager restores it.
        const back = await putBack(path.join(files, name), file);
        await fs.rm(fsPath(infoFile(trash.dir, name)), { force: true });
        throw new NotTheVerifiedFile(back);
      }
      // No fsync of files/ or the source's folder: a rename is atomic through a crash (the file
      // is in one place or the other) and its info file is already durable, which is all a
      // crash must find. A move lost to a power cut is a file back in place: its freed row is
      // then settled like a restore from the Trash (watch-sync.ts forgets it).
      return { trashDir: trash.dir, name };
    }
  }

  async settle(file: string, place: TrashPlace): Promise<SettledMove> {
    const inPlace = await present(file);
    if (place.trashDir === null || place.name === null) return inPlace ? 'untouched' : 'gone';
    const inTrash = await present(path.join(place.trashDir, 'files', place.name));
    if (inTrash && !inPlace) return 'trashed';
    // Cut short before the move (or the file went elsewhere): a reservation without its file
    // is removed, if it is ours (it names this file). A file in both places is left alone.
    if (!inTrash) await dropReservation(file, place.trashDir, place.name);
    return inPlace ? 'untouched' : 'gone';
  }

  /** The Trash a file goes to (made if `create`), or a TrashRefusal saying why there is none. */
  private async trashFor(file: string, create: boolean): Promise<TrashDir> {
    const realFile = await realFileOf(file);
    const dir = path.dirname(realFile);
    const dev = (await fs.stat(fsPath(dir))).dev;
    const homeDev = await deviceOf(this.dataHome);
    if (homeDev === dev) {
      const problem = (await trashDirProblem(this.homeTrash)) ?? (await linkedInside(this.homeTrash));
      if (problem !== null) throw new TrashRefusal(`no usable Trash: ${problem}`);
      // The Trash folder may be a link to a folder elsewhere (the person's choice), and its files/
      // a mount point: the file must be able to reach files/ by a rename, which the review says
      // already, not the move. Named by folder: the review asks once per folder.
      for (const p of [this.homeTrash, path.join(this.homeTrash, 'files')]) {
        const trashDev = await deviceOf(p);
        if (trashDev !== null && trashDev !== dev) throw new TrashRefusal(`${p} is on another drive than ${dir}, and Shoebox moves files only within a drive`);
      }
      if (create) await makeTrash(this.homeTrash);
      return { dir: this.homeTrash, topdir: null, realFile };
    }
    const topdir = await mountTop(dir, dev);
    const admin = path.join(topdir, '.Trash');
    if (await usableAdminTrash(admin)) {
      const mine = path.join(admin, String(this.uid));
      try {
        // A $uid folder that is a symlink, or not ours, is not used: the spec's fallback is .Trash-$uid.
        if ((await unsafeTrashDir(mine)) === null) {
          if (create) await makeTrash(mine);
          else if (!(await present(mine))) await fs.access(admin, fs.constants.W_OK);
          return { dir: mine, topdir, realFile };
        }
      } catch (err) {
        if (!isErrno(err, 'EACCES', 'EPERM', 'EROFS')) throw err; // the spec: fall back to .Trash-$uid
      }
    }
    const own = path.join(topdir, `.Trash-${this.uid}`);
    const unsafe = await unsafeTrashDir(own);
    if (unsafe !== null) throw new TrashRefusal(`the drive's Trash ${unsafe}, so Shoebox does not use it (anyone able to write to ${topdir} could have made it): remove it, or choose to delete the files instead`);
    try {
      if (!(await present(own))) await fs.access(topdir, fs.constants.W_OK);
      if (create) await makeTrash(own);
    } catch (err) {
      if (isErrno(err, 'EACCES', 'EPERM', 'EROFS')) throw new TrashRefusal(`the drive at ${topdir} has no Trash Shoebox can use: it ${cannotWrite(err)}`);
      throw err;
    }
    return { dir: own, topdir, realFile };
  }
}

/** Why a file cannot go to the Trash (shown with the file; it stays where it is). */
export class TrashRefusal extends Error {
  override readonly name = 'TrashRefusal';
}

/** `IMG_1.jpg` → `IMG_1.2.jpg` (a name not yet used in the Trash). */

async function deviceOf(p: string): Promise<number | null> {
  // The data home may not exist yet: its nearest existing parent is on the same device it will be.
  for (let dir = p; ; dir = path.dirname(dir)) {
    try {
      return (await fs.stat(dir)).dev;
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'ENOTDIR') || dir === path.dirname(dir)) return null;
    }
  }
}

/** The top directory of the mount holding `dir` (whose device is `dev`): the highest ancestor on that device. */
async function mountTop(dir: string, dev: number): Promise<string> {
  let top = dir;
  for (let parent = path.dirname(top); parent !== top; parent = path.dirname(top)) {
    if ((await fs.stat(parent)).dev !== dev) break;
    top = parent;
  }
  return top;
}

/** `$topdir/.Trash` qualifies only as a real folder with the sticky bit (the spec's checks). */
async function usableAdminTrash(admin: string): Promise<boolean> {
  try {
    const st = await fs.lstat(admin);
    return st.isDirectory() && !st.isSymbolicLink() && (st.mode & 0o1000) !== 0;
  } catch (err) {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return false;
    throw err;
  }
}

/**
 * Why a top-directory Trash folder (`.Trash-$uid`, `.Trash/$uid`) must not be used, or null
 * when it is absent or safe: it and its files/ and info/, where present, must be real folders
 * (no symlink), owned by the user running Shoebox, and not writable by others (GLib's checks).
 * Anyone who can write to a card's top folder can plant one, to have photos moved elsewhere.
 */
async function unsafeTrashDir(dir: string): Promise<string | null> {
  const me = process.geteuid?.();
  for (const p of [dir, path.join(dir, 'files'), path.join(dir, 'info')]) {
    const st = await fs.lstat(fsPath(p)).catch((err: unknown) => {
      if (isErrno(err, 'ENOENT')) return null;
      throw err;
    });
    if (st === null) {
      if (p === dir) return null;
      continue;
    }
    if (st.isSymbolicLink()) return `${p} is a symbolic link`;
    if (!st.isDirectory()) return `${p} is not a folder`;
    if (me !== undefined && st.uid !== me) return `${p} belongs to another user (uid ${st.uid})`;
    if ((st.mode & 0o022) !== 0) return `${p} can be written by other users`;
  }
  return null;
}

/**
 * Whether the home Trash's files/ or info/ is a symbolic link: the Trash folder itself may be one
 * (the person's choice), but what is inside is the Trash's own, and a link there could lead
 * anywhere — into the library's own folders, say.
 */
async function linkedInside(trash: string): Promise<string | null> {
  for (const p of [path.join(trash, 'files'), path.join(trash, 'info')]) {
    const st = await fs.lstat(fsPath(p)).catch((err: unknown) => {
      if (isErrno(err, 'ENOENT', 'ENOTDIR')) return null;
      throw err;
    });
    if (st?.isSymbolicLink()) return `${p} is a symbolic link (a Trash keeps its files in its own folders); make it a folder`;
  }
  return null;
}

/**
 * Makes a Trash folder and its files/ and info/. Something in the way (a file where a folder
 * should be, a read-only drive) is a TrashRefusal naming it; a full disk is DISK_FULL.
 */
async function makeTrash(dir: string): Promise<void> {
  for (const d of [dir, path.join(dir, 'files'), path.join(dir, 'info')]) {
    try {
      await fs.mkdir(d, { recursive: true, mode: 0o700 });
    } catch (err) {
      if (isDiskFull(err)) throw trashDiskFull(dir, err);
      if (isErrno(err, 'EEXIST', 'ENOTDIR')) throw new TrashRefusal(`no usable Trash: ${(await trashDirProblem(dir)) ?? `${d} is not a folder`}`);
      if (isErrno(err, 'EACCES', 'EPERM', 'EROFS')) throw new TrashRefusal(`no usable Trash: ${d} ${cannotWrite(err)}`);
      throw err;
    }
  }
}

/**
 * What stands in the way of a Trash folder, or null: it, its files/ and info/ must be folders
 * where they exist (a symlink to a folder is the person's choice for the home Trash), writable by
 * this user; where it does not exist yet, the nearest folder above it must be a folder and
 * writable. Asked by the review (the file is kept with the reason) before anything is written.
 */
async function trashDirProblem(trash: string): Promise<string | null> {
  let top = trash;
  while (!(await present(top)) && top !== path.dirname(top)) top = path.dirname(top);
  for (const p of top === trash ? [trash, path.join(trash, 'files'), path.join(trash, 'info')] : [top]) {
    if (p !== top && !(await present(p))) continue;
    const st = await fs.stat(fsPath(p)).catch((err: unknown) => {
      if (isErrno(err, 'ENOENT', 'ENOTDIR', 'ELOOP')) return null; // a dangling link, or a file above it
      throw err;
    });
    if (!st?.isDirectory()) return `${p} is not a folder`;
    const cannot = await writeProblem(p);
    if (cannot !== null) return cannot;
  }
  return null;
}

async function writeProblem(p: string): Promise<string | null> {
  try {
    await fs.access(fsPath(p), fs.constants.W_OK);
    return null;
  } catch (err) {
    if (isErrno(err, 'EACCES', 'EPERM', 'EROFS')) return `${p} ${cannotWrite(err)}`;
    throw err;
  }
}

/** "is on a read-only drive" / "cannot be written by you", for a failed write. */
function cannotWrite(err: unknown): string {
  return isErrno(err, 'EROFS') ? 'is on a read-only drive' : 'cannot be written by you';
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(fsPath(dir), 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The system Trash the engine reaches by itself: the freedesktop Trash on Linux (and other freedesktop systems), none elsewhere. */
export function defaultSystemTrash(): SystemTrash | null {
  return process.platform === 'darwin' || process.platform === 'win32' ? null : new FreedesktopTrash();
}
