import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite-binding.js';

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
  /** Damaged stretches of rows that were skipped (how many rows they held can't be known). */
  rowsLost: number;
  /** Tables that could not be read at all. */
  tablesLost: string[];
}

const HASH = /^[0-9a-f]{64}$/;
/** Past this, a rowid is taken as the end of the table (Shoebox's ids count up from 1). */
const MAX_PLAUSIBLE_ROWID = 2 ** 40;

/**
 * Reads what it can from a damaged catalog, row by row (`.recover`-style): each table is read in
 * rowid order and a damaged page is stepped over (readTolerant), so one bad page loses only the
 * rows on it. Rows that don't look like Shoebox's
 * (a damaged page can decode as nonsense) are dropped. Works on a copy: opening applies its WAL.
 * Never throws for damage; `unreadable` says when nothing could be read.
 */
export function salvageCatalog(file: string): Salvage {
  const s: Salvage = { unreadable: null, files: [], sourceNames: new Map(), livePartNames: new Map(), albums: [], watches: [], rowsRead: 0, rowsLost: 0, tablesLost: [] };
  let db: Database.Database;
  try {
    db = openDatabase(file, { fileMustExist: true });
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

/**
 * Reads a rowid table in rowid order; when a read hits a damaged page, finds where reading works
 * again (doubling steps, then halving back) and goes on from there, so one damaged page costs a
 * few dozen probes and only the rows on it.
 */
function readTolerant<T>(db: Database.Database, table: string, cols: string, s: Salvage): T[] {
  let scan: Database.Statement;
  let probe: Database.Statement;
  try {
    scan = db.prepare(`SELECT ${cols}, rowid AS rowid_ FROM ${table} WHERE rowid >= ? ORDER BY rowid`);
    probe = db.prepare(`SELECT rowid FROM ${table} WHERE rowid >= ? ORDER BY rowid LIMIT 1`);
  } catch (err) {
    if (!isSqliteError(err)) throw err;
    s.tablesLost.push(table); // missing (an older schema) or its definition is unreadable
    return [];
  }
  const readsFrom = (rowid: number): boolean => {
    try {
      probe.get(rowid);
      return true;
    } catch (err) {
      if (!isSqliteError(err)) throw err;
      return false;
    }
  };
  const out: T[] = [];
  for (let next = 0; ;) {
    try {
      for (const row of scan.iterate(next) as Iterable<T & { rowid_: number }>) {
        next = row.rowid_ + 1;
        delete (row as { rowid_?: number }).rowid_;
        out.push(row);
        s.rowsRead++;
      }
      return out;
    } catch (err) {
      if (!isSqliteError(err)) throw err;
    }
    s.rowsLost++;
    let bad = next;
    let good = -1;
    for (let step = 1; step <= MAX_PLAUSIBLE_ROWID; step *= 2) {
      if (readsFrom(next + step)) {
        good = next + step;
        break;
      }
      bad = next + step;
    }
    if (good < 0) return out; // nothing readable after the damage
    while (good - bad > 1) {
      const mid: number = bad + Math.floor((good - bad) / 2);
      if (readsFrom(mid)) good = mid;
      else bad = mid;
    }
    next = good;
  }
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
