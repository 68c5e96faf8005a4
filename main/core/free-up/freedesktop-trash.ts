import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isErrno } from '../errors.js';
import { fsPath, nameFromBytes } from '../media/raw-names.js';
import { notMovable, present, type SettledMove, type SystemTrash, type TrashMoveHooks, type TrashPlace } from './system-trash.js';

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

const UNRESERVED = /[A-Za-z0-9\-_.!~*'()/]/;

/** Percent-encodes a path's bytes as the Trash spec's Path= wants (RFC 2396; '/' kept). */
export function encodeTrashPath(p: string): string {
  let out = '';
  for (const byte of Buffer.from(fsPath(p))) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Local time as YYYY-MM-DDThh:mm:ss. */
function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The `.trashinfo` text for a file at `original` going to a Trash whose paths are relative to `relativeTo` (null: absolute). */
export function trashInfo(original: string, relativeTo: string | null, at: number): string {
  const p = relativeTo === null ? original : path.relative(relativeTo, original);
  return `[Trash Info]\nPath=${encodeTrashPath(p)}\nDeletionDate=${localTime(at)}\n`;
}

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
    this.dataHome = opts.dataHome ?? (process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'));
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
        await writeExclusive(infoFile(trash.dir, name), trashInfo(trash.realFile, trash.topdir, this.now()));
      } catch (err) {
        if (isErrno(err, 'EEXIST')) continue; // another program took the name meanwhile
        if (isErrno(err, 'EROFS', 'EACCES', 'EPERM')) throw new TrashRefusal(`${trash.dir} cannot be written (${(err).code})`);
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
    if (unsafe !== null) throw new TrashRefusal(`the drive's Trash ${unsafe}, so Shoebox does not use it (anyone able to write to ${topdir} could have made it): remove it, or free up with deleting chosen`);
    try {
      if (!(await present(own))) await fs.access(topdir, fs.constants.W_OK);
      if (create) await makeTrash(own);
    } catch (err) {
      if (isErrno(err, 'EACCES', 'EPERM', 'EROFS')) throw new TrashRefusal(`the drive at ${topdir} has no Trash Shoebox can use (${(err).code}: read-only, or not yours)`);
      throw err;
    }
    return { dir: own, topdir, realFile };
  }
}

/** Removes `info/NAME.trashinfo` if it names `file` (an info file of another program's is never touched). */
async function dropReservation(file: string, trashDir: string, name: string): Promise<void> {
  const info = infoFile(trashDir, name);
  const text = await fs.readFile(fsPath(info), 'utf8').catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  });
  if (text === null) return;
  const real = await realFileOf(file).catch((err: unknown) => {
    if (isErrno(err, 'ENOENT', 'ENOTDIR')) return file; // its folder is gone too
    throw err;
  });
  const named = isTopdirTrash(trashDir) ? path.relative(topdirOf(trashDir), real) : real;
  // An empty info file is a reservation cut short between its exclusive create and its write (a
  // kill there, as the free-up kill test found): it names no file, so it records nothing.
  if (text === '' || text.includes(`\nPath=${encodeTrashPath(named)}\n`)) await fs.rm(fsPath(info), { force: true });
}

/** Why a file cannot go to the Trash (shown with the file; it stays where it is). */
export class TrashRefusal extends Error {
  override readonly name = 'TrashRefusal';
}

/** The file's path with its folder's symlinks resolved (the file itself is not followed). */
async function realFileOf(file: string): Promise<string> {
  const dir = await fs.realpath(fsPath(path.dirname(file)), { encoding: 'buffer' });
  return path.join(nameFromBytes(dir), path.basename(file));
}

function infoFile(trashDir: string, name: string): string {
  return path.join(trashDir, 'info', `${name}.trashinfo`);
}

/** `IMG_1.jpg` → `IMG_1.2.jpg` (a name not yet used in the Trash). */
function numbered(base: string, n: number): string {
  const ext = path.extname(base);
  return ext && ext !== base ? `${base.slice(0, -ext.length)}.${n}${ext}` : `${base}.${n}`;
}

/** A top-directory Trash is `$topdir/.Trash-$uid` or `$topdir/.Trash/$uid`. */
function isTopdirTrash(trashDir: string): boolean {
  return /^\.Trash-\d+$/.test(path.basename(trashDir)) || path.basename(path.dirname(trashDir)) === '.Trash';
}

function topdirOf(trashDir: string): string {
  return path.basename(path.dirname(trashDir)) === '.Trash' ? path.dirname(path.dirname(trashDir)) : path.dirname(trashDir);
}

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

async function makeTrash(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.mkdir(path.join(dir, 'files'), { recursive: true, mode: 0o700 });
  await fs.mkdir(path.join(dir, 'info'), { recursive: true, mode: 0o700 });
}

async function writeExclusive(file: string, text: string): Promise<void> {
  const fh = await fs.open(fsPath(file), 'wx', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fs.rm(fsPath(file), { force: true }); // a full disk: no half-written reservation stays
    throw err;
  }
  await fh.close();
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
