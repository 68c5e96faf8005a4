import fs from 'node:fs';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { blobPath, listBlobShards } from '../blobs/blob-store.js';
import { SNIFF_BYTES } from '../media/media-type.js';
import type { CatalogDb } from './catalog.js';
import { deleteFileRows } from './purge-rows.js';
import { BLOB_USED_SQL } from './item-parts.js';
import type { Salvage, SalvagedFile } from './catalog-salvage.js';

/** What bringing a restored catalog in line with objects/ did. */
export interface ReplayReport {
  /** Live files the restored catalog already had. */
  filesKept: number;
  /** Stored contents the restored catalog did not know, now files in Uncategorized. */
  replayed: number;
  namedFromCatalog: number;
  namedFromSource: number;
  namedByHash: number;
  /** A few of the replayed names, for the report. */
  examples: string[];
  /** Files the restored catalog has live that were moved to Trash later (per the damaged catalog): they are back. */
  trashedSinceSnapshot: number;
  /** Trashed files whose bytes are gone (Trash emptied after the snapshot): forgotten. */
  purgedSinceSnapshot: number;
  /** Live files whose bytes are not in objects/ (check and status list them). */
  withoutBytes: Array<{ fileId: number; name: string }>;
  /** Albums the damaged catalog had that the restored one doesn't (their files are in Uncategorized). */
  albumsLost: string[];
  /** Watched folders the damaged catalog had that the restored one didn't: watched again. */
  watchesRestored: string[];
  /** Entries in objects/ that are not content-addressed blobs (left where they are). */
  notBlobs: number;
  /** Offsite remotes the recovered catalog pushes to. */
  remotes: number;
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Brings a restored (or new) catalog in line with what is on disk and with what the damaged
 * catalog still tells (see catalog-recovery.ts): every blob in objects/ it doesn't know becomes a
 * file in Uncategorized, named from the damaged catalog's file rows, else from a source
 * record's file name, else from its hash and detected type; trashed files whose bytes are gone
 * are forgotten (Trash was emptied since); lost watches come back. Nothing in objects/ is
 * touched. One transaction on a catalog no other process sees yet.
 */
export async function replayIntoCatalog(cdb: CatalogDb, objectsDir: string, salvage: Salvage, uncategorizedId: number): Promise<ReplayReport> {
  const db = cdb.db;
  const r: ReplayReport = {
    filesKept: 0, replayed: 0, namedFromCatalog: 0, namedFromSource: 0, namedByHash: 0, examples: [], trashedSinceSnapshot: 0,
    purgedSinceSnapshot: 0, withoutBytes: [], albumsLost: [], watchesRestored: [], notBlobs: 0, remotes: 0,
  };
  // Sniffing is async and reads files: done before the transaction, which then only writes.
  const unknown = await describeUnknownBlobs(db, objectsDir, salvage, r);
  const algorithm = (db.prepare(`SELECT value FROM meta WHERE key = 'hash_algorithm'`).get() as { value: string } | undefined)?.value ?? 'sha256';
  cdb.write(() => {
    forgetPurged(db, objectsDir, r);
    for (const u of unknown) {
      db.prepare('INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, ?, ?, ?)').run(u.hash, algorithm, u.size, u.createdAt);
      const idFree = u.id !== null && db.prepare('SELECT 1 FROM files WHERE id = ?').get(u.id) === undefined;
      const fileId = Number(
        db.prepare('INSERT INTO files (id, name, blob_hash, size, media_type, taken_at, modified_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(idFree ? u.id : null, u.name, u.hash, u.size, u.mediaType, u.takenAt, u.modifiedAt, u.createdAt).lastInsertRowid,
      );
      db.prepare('INSERT INTO memberships (album_id, file_id, added_at) VALUES (?, ?, ?)').run(uncategorizedId, fileId, u.createdAt);
    }
    const liveSame = db.prepare('SELECT 1 FROM files WHERE id = ? AND blob_hash = ? AND trashed_at IS NULL');
    r.trashedSinceSnapshot = salvage.files.filter((f) => f.trashed && liveSame.get(f.id, f.hash) !== undefined).length;
    const albumNames = new Set((db.prepare(`SELECT name FROM albums WHERE kind = 'user'`).all() as { name: string }[]).map((a) => a.name));
    r.albumsLost = [...new Set(salvage.albums.map((a) => a.name))].filter((n) => !albumNames.has(n)).sort();
    for (const w of salvage.watches) {
      if (db.prepare('SELECT 1 FROM watches WHERE path = ?').get(w.path) !== undefined) continue;
      db.prepare('INSERT INTO watches (path, mode, poll, paused, root_dev, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(w.path, w.mode, w.poll, w.paused, w.rootDev, w.addedAt);
      r.watchesRestored.push(w.path);
    }
  });
  r.remotes = (db.prepare('SELECT COUNT(*) AS n FROM remotes').get() as { n: number }).n;
  r.filesKept = (db.prepare('SELECT COUNT(*) AS n FROM files WHERE trashed_at IS NULL').get() as { n: number }).n - r.replayed;
  return r;
}

interface UnknownBlob {
  hash: string;
  size: number;
  id: number | null;
  name: string;
  mediaType: string;
  takenAt: number | null;
  modifiedAt: number | null;
  createdAt: number;
}

/** Every blob file in objects/ the catalog has no row for, with the best name that can be found. */
async function describeUnknownBlobs(db: CatalogDb['db'], objectsDir: string, salvage: Salvage, r: ReplayReport): Promise<UnknownBlob[]> {
  const best = new Map<string, SalvagedFile>();
  for (const f of salvage.files) {
    const b = best.get(f.hash);
    // A live row beats a trashed one; then the newest (the name it was last added under).
    if (!b || (b.trashed && !f.trashed) || (b.trashed === f.trashed && f.id > b.id)) best.set(f.hash, f);
  }
  const known = db.prepare('SELECT 1 FROM blobs WHERE hash = ?');
  const out: UnknownBlob[] = [];
  for (const { dir, names } of listBlobShards(objectsDir)) {
    for (const hash of names.sort()) {
      if (!HASH.test(hash) || path.basename(dir) !== hash.slice(0, 2)) {
        r.notBlobs++;
        continue;
      }
      if (known.get(hash) !== undefined) continue;
      const st = fs.statSync(path.join(dir, hash));
      if (!st.isFile()) {
        r.notBlobs++;
        continue;
      }
      const f = best.get(hash);
      const part = salvage.livePartNames.get(hash);
      const sourceName = salvage.sourceNames.get(hash);
      let name: string;
      let mediaType: string | null = f?.mediaType ?? part?.mediaType ?? null;
      if (f) {
        name = f.name;
        r.namedFromCatalog++;
      } else if (part) {
        name = part.name;
        r.namedFromCatalog++;
      } else if (sourceName) {
        name = sourceName;
        r.namedFromSource++;
      } else {
        const sniffed = await sniff(blobPath(objectsDir, hash));
        name = `${hash.slice(0, 12)}.${sniffed.ext}`;
        mediaType ??= sniffed.mediaType;
        r.namedByHash++;
      }
      mediaType ??= (await sniff(blobPath(objectsDir, hash))).mediaType;
      out.push({ hash, size: st.size, id: f?.id ?? null, name, mediaType, takenAt: f?.takenAt ?? null, modifiedAt: f?.modifiedAt ?? null, createdAt: f?.createdAt ?? Math.trunc(st.mtimeMs) });
      if (r.examples.length < 10) r.examples.push(name);
    }
  }
  r.replayed = out.length;
  return out;
}

/** Trashed files whose bytes are gone were purged after the snapshot: their rows go as purge's would. */
function forgetPurged(db: CatalogDb['db'], objectsDir: string, r: ReplayReport): void {
  const rows = db.prepare('SELECT f.id, f.name, f.blob_hash AS hash, f.trashed_at IS NOT NULL AS trashed FROM files f').all() as Array<{ id: number; name: string; hash: string; trashed: number }>;
  const gone = new Map<string, boolean>();
  const missing = (hash: string) => {
    let m = gone.get(hash);
    if (m === undefined) gone.set(hash, (m = !fs.existsSync(blobPath(objectsDir, hash))));
    return m;
  };
  const hashes = new Set<string>();
  for (const f of rows) {
    if (!missing(f.hash)) continue;
    if (!f.trashed) {
      r.withoutBytes.push({ fileId: f.id, name: f.name });
      continue;
    }
    deleteFileRows(db, f.id); // as TrashService.purge does, on the recovered copy
    hashes.add(f.hash);
    r.purgedSinceSnapshot++;
  }
  for (const h of hashes) {
    if (db.prepare(BLOB_USED_SQL).get({ h })) continue;
    db.prepare('INSERT OR IGNORE INTO remote_deletes (remote_id, object) SELECT remote_id, object FROM remote_objects WHERE blob_hash = ?').run(h);
    db.prepare('DELETE FROM remote_objects WHERE blob_hash = ?').run(h);
    db.prepare('DELETE FROM blobs WHERE hash = ?').run(h);
  }
}

/** The media type and a file extension from a blob's first bytes. */
async function sniff(file: string): Promise<{ mediaType: string; ext: string }> {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(SNIFF_BYTES);
  let n: number;
  try {
    n = fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  const t = n > 0 ? await fileTypeFromBuffer(head.subarray(0, n)) : undefined;
  return t ? { mediaType: t.mime, ext: t.ext } : { mediaType: 'application/octet-stream', ext: 'bin' };
}
