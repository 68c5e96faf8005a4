import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/** A file row read back from a damaged catalog. */
export interface SalvagedFile {
  id: number;
  name: string;
  hash: string;
  mediaType: string | null;
  takenAt: number | null;
  modifiedAt: number | null;
  createdAt: number | null;
  trashed: boolean;
}

/** A watched folder read back from a damaged catalog. */
export interface SalvagedWatch {
  path: string;
  mode: 'single' | 'separate';
  poll: number;
  paused: number;
  rootDev: number | null;
  addedAt: number;
}

/** What could be read from a damaged catalog. */
export interface Salvage {
  /** Why nothing could be read at all (the file would not open, or its schema is unreadable). */
  unreadable: string | null;
  files: SalvagedFile[];
  /** A name per content from the source records (the source file's name), for contents whose file row is lost. */
  sourceNames: Map<string, string>;
  /** Names of live-photo video halves, per content. */
  livePartNames: Map<string, { name: string; mediaType: string }>;
  albums: Array<{ id: number; name: string }>;
  watches: SalvagedWatch[];
  rowsRead: number;
  /**
   * Stretches of rowids that could not be read (a damaged page), after narrowing down to single
   * rows. Counted as stretches: whether a damaged stretch held rows can't be known.
   */
  rowsLost: number;
  /** Tables that could not be read at all. */
  tablesLost: string[];
}

const HASH = /^[0-9a-f]{64}$/;
const RANGE = 1024;
/** With the table's last rowid unreadable, scanning stops after this many empty ranges in a row. */
const EMPTY_RANGES_TO_STOP = 64;
const MAX_PLAUSIBLE_ROWID = 2 ** 31;

/**
 * Reads what it can from a damaged catalog, row by row (`.recover`-style): each table is read by
 * rowid ranges; a range that hits a damaged page is split until the damaged rows are isolated
 * and skipped, so one bad page loses only the rows on it. Rows that don't look like Shoebox's
 * (a damaged page can decode as nonsense) are dropped. Works on a copy: opening applies its WAL.
 * Never throws for damage; `unreadable` says when nothing could be read.
 */
export function salvageCatalog(file: string): Salvage {
  const s: Salvage = { unreadable: null, files: [], sourceNames: new Map(), livePartNames: new Map(), albums: [], watches: [], rowsRead: 0, rowsLost: 0, tablesLost: [] };
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
    db.pragma('cell_size_check = ON'); // find damaged cells instead of decoding them
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    s.unreadable = (err as Error).message;
    return s;
  }
  try {
    const read = <T>(table: string, cols: string) => readTolerant<T>(db, table, cols, s);
    for (const r of read<{ id: number; name: unknown; hash: unknown; mediaType: unknown; takenAt: unknown; modifiedAt: unknown; createdAt: unknown; trashedAt: unknown }>(
      'files', 'id, name, blob_hash AS hash, media_type AS mediaType, taken_at AS takenAt, modified_at AS modifiedAt, created_at AS createdAt, trashed_at AS trashedAt',
    )) {
      if (!isName(r.name) || !isHash(r.hash)) continue;
      s.files.push({
        id: r.id, name: r.name, hash: r.hash, mediaType: typeof r.mediaType === 'string' && r.mediaType.includes('/') ? r.mediaType : null,
        takenAt: intOrNull(r.takenAt), modifiedAt: intOrNull(r.modifiedAt), createdAt: intOrNull(r.createdAt), trashed: r.trashedAt !== null,
      });
    }
    for (const r of read<{ path: unknown; hash: unknown }>('source_records', 'path, hash')) {
      if (typeof r.path === 'string' && isHash(r.hash) && isName(path.basename(r.path))) s.sourceNames.set(r.hash, path.basename(r.path));
    }
    for (const r of read<{ hash: unknown; name: unknown; mediaType: unknown }>('live_parts', 'blob_hash AS hash, name, media_type AS mediaType')) {
      if (isHash(r.hash) && isName(r.name) && typeof r.mediaType === 'string') s.livePartNames.set(r.hash, { name: r.name, mediaType: r.mediaType });
    }
    for (const r of read<{ id: number; name: unknown; kind: unknown }>('albums', 'id, name, kind')) {
      if (r.kind === 'user' && typeof r.name === 'string' && r.name.length > 0) s.albums.push({ id: r.id, name: r.name });
    }
    for (const r of read<{ path: unknown; mode: unknown; poll: unknown; paused: unknown; rootDev: unknown; addedAt: unknown }>(
      'watches', 'path, mode, poll, paused, root_dev AS rootDev, added_at AS addedAt',
    )) {
      if (typeof r.path !== 'string' || !path.isAbsolute(r.path) || (r.mode !== 'single' && r.mode !== 'separate')) continue;
      s.watches.push({ path: r.path, mode: r.mode, poll: r.poll === 1 ? 1 : 0, paused: r.paused === 1 ? 1 : 0, rootDev: intOrNull(r.rootDev), addedAt: intOrNull(r.addedAt) ?? 0 });
    }
  } finally {
    db.close();
  }
  return s;
}

/** Reads a rowid table in ranges, narrowing failing ranges down to single rows. */
function readTolerant<T>(db: Database.Database, table: string, cols: string, s: Salvage): T[] {
  let stmt: Database.Statement;
  try {
    stmt = db.prepare(`SELECT ${cols} FROM ${table} WHERE rowid >= ? AND rowid < ?`);
  } catch (err) {
    if (!isSqliteError(err)) throw err;
    s.tablesLost.push(table); // missing (an older schema) or its definition is unreadable
    return [];
  }
  const out: T[] = [];
  let lastFailed = Number.NaN;
  const readRange = (lo: number, hi: number): void => {
    try {
      const rows = stmt.all(lo, hi) as T[];
      for (const r of rows) out.push(r);
      s.rowsRead += rows.length;
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      if (hi - lo <= 1) {
        if (lo !== lastFailed + 1) s.rowsLost++;
        lastFailed = lo;
        return;
      }
      const mid = lo + Math.floor((hi - lo) / 2);
      readRange(lo, mid);
      readRange(mid, hi);
    }
  };
  let last: number | null;
  try {
    last = ((db.prepare(`SELECT max(rowid) AS m FROM ${table}`).get() as { m: number | null }).m) ?? 0;
    if (last > MAX_PLAUSIBLE_ROWID) last = null; // a damaged page can answer nonsense
  } catch (err) {
    if (!isSqliteError(err)) throw err;
    last = null;
  }
  if (last !== null) {
    for (let lo = 0; lo <= last; lo += RANGE) readRange(lo, lo + RANGE);
    return out;
  }
  for (let lo = 0, empty = 0; empty < EMPTY_RANGES_TO_STOP; lo += RANGE) {
    const before = out.length;
    readRange(lo, lo + RANGE);
    empty = out.length > before ? 0 : empty + 1;
  }
  return out;
}

function isSqliteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

function isHash(v: unknown): v is string {
  return typeof v === 'string' && HASH.test(v);
}

function isName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= 1024 && !v.includes('/') && !v.includes('\0');
}

function intOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
}

/**
 * Makes a truncated copy readable: SQLite trusts the page count in the file's header, so a
 * file cut short fails as a whole ("malformed") even though its first pages are intact. The
 * copy is cut to whole pages and its header told how many there are. Returns false when the
 * header itself is unreadable. Only ever used on a copy.
 */
export function fitHeaderToFile(copy: string): boolean {
  const fd = fs.openSync(copy, 'r+');
  try {
    const header = Buffer.alloc(100);
    if (fs.readSync(fd, header, 0, 100, 0) < 100 || !header.subarray(0, 16).equals(Buffer.from('SQLite format 3\0', 'latin1'))) return false;
    const raw = header.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return false;
    const pages = Math.floor(fs.fstatSync(fd).size / pageSize);
    if (pages < 1) return false;
    fs.ftruncateSync(fd, pages * pageSize);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(pages);
    fs.writeSync(fd, count, 0, 4, 28);
    return true;
  } finally {
    fs.closeSync(fd);
  }
}
