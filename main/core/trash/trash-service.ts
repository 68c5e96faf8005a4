import fs from 'node:fs';
import { deleteFileRows } from '../catalog/purge-rows.js';
import { BLOB_USED_SQL } from '../catalog/item-parts.js';
import { catalogDamage, finishBlobDeletions, pendingBlobDeletions, queueBlobDeletion } from '../blobs/blob-removal.js';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError } from '../errors.js';
import { trustedTrashDates } from './trash-dates.js';
import { injectFault } from '../faults.js';
import { plural } from '../format.js';

/** How long a file stays in Trash before it is purged (DESIGN §1). */
export const TRASH_DAYS = 30;

/** What a purge removed. */
export interface PurgeResult {
  files: number;
  blobsRemoved: number;
  bytesFreed: number;
  /** Blobs that were to be removed but were already missing on disk (reported, catalog consistent). */
  missingBlobs: string[];
  /** Hashes of the removed blobs (their previews can go). */
  removedHashes: string[];
}

/** A file in Trash. */
export interface TrashedFile {
  fileId: number;
  name: string;
  size: number;
  trashedAt: number;
  albums: string[];
}

/**
 * Trash (DESIGN §1): removed files keep their bytes and remember their albums, so they can be
 * restored; purge (issue #5) removes them for good. Moving to Trash never removes bytes.
 */
export class TrashService {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * Moves live files to Trash in one transaction: their memberships are remembered and removed.
   * `forgetSources`: the user deleted them, so their watched sources must not be uploaded again
   * (re-upload protection); dedup passes false because the content stays in the library.
   * Ids of files already in Trash are left as they are (not counted). An id the library has no
   * file for refuses the whole call, NOT_FOUND naming every such id, with nothing moved: a
   * mistyped id among good ones must not leave the others half-done without a word.
   */
  trash(fileIds: number[], opts: { forgetSources: boolean; reason: string }): number {
    const db = this.ctx.cdb.db;
    const now = this.ctx.now();
    return this.ctx.cdb.write(() => {
      const known = db.prepare('SELECT 1 FROM files WHERE id = ?');
      const unknown = [...new Set(fileIds)].filter((id) => !known.get(id));
      if (unknown.length > 0) {
        const which = unknown.length === 1 ? `There is no file ${unknown[0]}` : `There are no files ${unknown.slice(0, -1).join(', ')} and ${unknown.at(-1)}`;
        throw new ShoeboxError('NOT_FOUND', `${which} in the library, so nothing was moved to Trash.`, { hint: '`shoebox ls` shows file ids.' });
      }
      let n = 0;
      for (const id of fileIds) {
        const row = db.prepare('SELECT name FROM files WHERE id = ? AND trashed_at IS NULL').get(id) as { name: string } | undefined;
        if (!row) continue;
        db.prepare('INSERT OR IGNORE INTO trash_memberships (file_id, album_id, added_at) SELECT file_id, album_id, added_at FROM memberships WHERE file_id = ?').run(id);
        db.prepare('DELETE FROM memberships WHERE file_id = ?').run(id);
        db.prepare('UPDATE files SET trashed_at = ? WHERE id = ?').run(now, id);
        if (opts.forgetSources) {
          // Remember the sources as deleted-by-user and drop their records, so a watch sees them
          // as new, hashes them, and refuses them (until "Reset ignored files").
          db.prepare('INSERT OR IGNORE INTO ignored_sources (path, hash, ignored_at) SELECT path, hash, ? FROM source_records WHERE file_id = ?').run(now, id);
          // kept for a restore from Trash ([Note: Source records in Trash])
          db.prepare('INSERT OR IGNORE INTO trashed_sources (file_id, path, album_id, watch_id, size, mtime_ms, ino, hash) SELECT file_id, path, album_id, watch_id, size, mtime_ms, ino, hash FROM source_records WHERE file_id = ?').run(id);
          db.prepare('DELETE FROM source_records WHERE file_id = ?').run(id);
        }
        this.ctx.activity.record('info', 'TRASHED', `${row.name} moved to Trash (${opts.reason})`, null, id);
        n++;
      }
      return n;
    });
  }

  /**
   * Files in Trash that you deleted (their sources are ignored) whose source is still on disk
   * holding what was backed up (same size and mtime): `reset-ignored` brings these back from
   * Trash instead of backing them up again. A source edited since is backed up as new.
   */
  deletedYetOnDisk(): number[] {
    const db = this.ctx.cdb.db;
    const inTrash = db
      .prepare(
        `SELECT DISTINCT t.file_id FROM trashed_sources t JOIN ignored_sources i ON i.path = t.path AND i.hash = t.hash
         JOIN files f ON f.id = t.file_id AND f.trashed_at IS NOT NULL ORDER BY t.file_id`,
      )
      .pluck()
      .all() as number[];
    const sourcesOf = db.prepare('SELECT path, size, mtime_ms AS mtimeMs FROM trashed_sources WHERE file_id = ?');
    const same = (s: { path: string; size: number; mtimeMs: number }) => {
      const st = fs.statSync(s.path, { throwIfNoEntry: false });
      return st !== undefined && st.isFile() && st.size === s.size && Math.trunc(st.mtimeMs) === s.mtimeMs;
    };
    return inTrash.filter((id) => (sourcesOf.all(id) as Array<{ path: string; size: number; mtimeMs: number }>).some(same));
  }

  /** Restores files from Trash: back into the albums they were in (those that still exist), else Uncategorized. */
  restore(fileIds: number[]): number {
    const db = this.ctx.cdb.db;
    const { catalog } = this.ctx;
    return this.ctx.cdb.write(() => {
      let n = 0;
      for (const id of fileIds) {
        const row = db.prepare('SELECT name FROM files WHERE id = ? AND trashed_at IS NOT NULL').get(id) as { name: string } | undefined;
        if (!row) {
          const exists = db.prepare('SELECT 1 FROM files WHERE id = ?').get(id) !== undefined;
          throw new ShoeboxError('NOT_FOUND', exists ? `File ${id} is not in Trash.` : `File ${id} is not in the library (if it was in Trash, it has been purged).`);
        }
        db.prepare('UPDATE files SET trashed_at = NULL WHERE id = ?').run(id);
        this.supersededWhileTrashed(id);
        db.prepare(
          `INSERT OR IGNORE INTO memberships (album_id, file_id, added_at)
           SELECT t.album_id, t.file_id, COALESCE(t.added_at, ?) FROM trash_memberships t JOIN albums a ON a.id = t.album_id WHERE t.file_id = ? AND a.kind = 'user'`,
        ).run(this.ctx.now(), id);
        db.prepare('DELETE FROM trash_memberships WHERE file_id = ?').run(id);
        db.prepare('DELETE FROM ignored_sources WHERE hash = (SELECT blob_hash FROM files WHERE id = ?)').run(id);
        // where it came from, back where the file is still on disk and no other file took the path
        // in that album meanwhile ([Note: Source records in Trash]); a record of a path gone would
        // have the watch take the restored file out of its album again
        const back = db.prepare(
          `INSERT OR IGNORE INTO source_records (path, album_id, file_id, size, mtime_ms, ino, hash, recorded_at, watch_id)
           SELECT t.path, t.album_id, t.file_id, t.size, t.mtime_ms, t.ino, t.hash, ?, (SELECT w.id FROM watches w WHERE w.id = t.watch_id)
           FROM trashed_sources t JOIN albums a ON a.id = t.album_id WHERE t.file_id = ? AND t.path = ?`,
        );
        for (const t of db.prepare('SELECT path FROM trashed_sources WHERE file_id = ?').pluck().all(id) as string[]) if (fs.existsSync(t)) back.run(this.ctx.now(), id, t);
        db.prepare('DELETE FROM trashed_sources WHERE file_id = ?').run(id);
        catalog.settleUncategorized(id);
        this.ctx.activity.record('info', 'RESTORED', `${row.name} restored from Trash`, null, id);
        n++;
      }
      return n;
    });
  }

  /**
   * A watched file edited while its library copy was in Trash: the edit was backed up as a
   * file of its own at the same path in the same album. Restored, the copy is what it would have
   * been after any edit ([Note: Modified files keep their history]): the earlier version — it
   * does not go back into that album, the edit's history leads to it, and it remembers the path
   * it came from ([Note: Where an earlier version came from]). Not for manual uploads: two
   * uploads from one path are two photos.
   */
  private supersededWhileTrashed(id: number): void {
    const db = this.ctx.cdb.db;
    const newer = db
      .prepare(
        `SELECT t.album_id AS albumId, t.path, s.file_id AS newerId FROM trashed_sources t
         JOIN source_records s ON s.path = t.path AND s.album_id = t.album_id AND s.file_id <> t.file_id AND s.watch_id IS NOT NULL
         JOIN files n ON n.id = s.file_id AND n.trashed_at IS NULL
         WHERE t.file_id = ? AND t.watch_id IS NOT NULL`,
      )
      .all(id) as Array<{ albumId: number; path: string; newerId: number }>;
    for (const n of newer) {
      db.prepare('DELETE FROM trash_memberships WHERE file_id = ? AND album_id = ?').run(id, n.albumId);
      db.prepare('UPDATE files SET previous_version_id = ? WHERE id = ? AND id > ? AND previous_version_id IS NULL').run(id, n.newerId, id);
      db.prepare('UPDATE files SET source_path = COALESCE(source_path, ?) WHERE id = ?').run(n.path, id);
    }
  }

  /**
   * Deletes files from Trash for good: those trashed before `before` (default: 30 days ago), or
   * all. Blobs no longer referenced by any file (Trash included) or live-photo part get a
   * tombstone in the same transaction, and their files are removed only under the catalog's
   * write lock after re-checking that nothing references them ([Note: Blob tombstones]). Refused
   * while the catalog fails its integrity check: nothing is deleted on a damaged index's word.
   */
  purge(opts: { before?: number; all?: boolean } = {}): PurgeResult {
    const db = this.ctx.cdb.db;
    const nothing: PurgeResult = { files: 0, blobsRemoved: 0, bytesFreed: 0, missingBlobs: [], removedHashes: [] };
    const now = this.ctx.now();
    const trusted = opts.all ? undefined : trustedTrashDates(now, Number(this.ctx.cdb.meta('created_at')) || undefined);
    if (trusted === null) {
      this.ctx.log.warn('the clock reads a time before this library existed; Trash is not purged until it is right', { now: new Date(now).toISOString() });
      return nothing;
    }
    if (trusted) this.ctx.cdb.write(() => this.restampUntrusted(trusted.floor, trusted.now));
    const cutoff = opts.all ? Number.MAX_SAFE_INTEGER : (opts.before ?? now - TRASH_DAYS * 86_400_000);
    const expired = db.prepare('SELECT 1 FROM files WHERE trashed_at IS NOT NULL AND trashed_at <= ? LIMIT 1').get(cutoff) !== undefined;
    if (!expired && pendingBlobDeletions(db) === 0) return nothing; // the daily purge of an idle Trash costs no integrity check
    const damage = catalogDamage(this.ctx.cdb); // ~0.7 s per 100k files; only when something is to be deleted
    if (damage !== null) {
      throw new ShoeboxError('LIBRARY_CORRUPT', `Trash was not emptied: the catalog failed SQLite's integrity check (${damage}), and nothing is deleted while it cannot be trusted. Run \`shoebox check\`.`);
    }
    const files = this.ctx.cdb.write(() => {
      const ids = (db.prepare('SELECT id FROM files WHERE trashed_at IS NOT NULL AND trashed_at <= ?').all(cutoff) as { id: number }[]).map((r) => r.id);
      // their ids are not given again ([Note: File ids are never reused])
      if (ids.length > 0) {
        db.prepare(
          `INSERT INTO meta (key, value) VALUES ('files_id_floor', ?)
           ON CONFLICT (key) DO UPDATE SET value = CAST(MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)`,
        ).run(String(ids.reduce((a, b) => Math.max(a, b), 0)));
      }
      const hashes = new Set<string>();
      for (const id of ids) {
        const f = db.prepare('SELECT blob_hash AS h FROM files WHERE id = ?').get(id) as { h: string };
        hashes.add(f.h);
        // [Note: Item parts], [Note: Part versions]
        for (const part of db.prepare('SELECT blob_hash AS h FROM live_parts WHERE file_id = ? UNION SELECT blob_hash FROM part_versions WHERE file_id = ?').all(id, id) as { h: string }[]) hashes.add(part.h);
        deleteFileRows(db, id);
      }
      for (const h of hashes) {
        if (db.prepare(BLOB_USED_SQL).get({ h })) continue;
        const b = db.prepare('SELECT size FROM blobs WHERE hash = ?').get(h) as { size: number } | undefined;
        db.prepare('DELETE FROM blobs WHERE hash = ?').run(h);
        queueBlobDeletion(db, h, b?.size ?? 0, this.ctx.now());
      }
      if (ids.length > 0) this.ctx.activity.record('info', 'PURGED', `${plural(ids.length, 'file')} deleted from Trash for good`);
      return ids.length;
    });
    injectFault('purge-committed');
    const done = finishBlobDeletions(this.ctx.cdb, this.ctx.paths.objects, this.ctx.log, { intact: true });
    const result: PurgeResult = {
      files,
      blobsRemoved: done.removed.length + done.missing.length,
      bytesFreed: done.removed.reduce((n, b) => n + b.size, 0),
      missingBlobs: done.missing,
      removedHashes: [...done.removed.map((b) => b.hash), ...done.missing],
    };
    if (result.missingBlobs.length > 0) {
      this.ctx.cdb.write(() => this.ctx.activity.record('error', 'BLOB_MISSING', `${result.missingBlobs.length} purged file(s) had already lost their stored bytes (${result.missingBlobs.map((h) => h.slice(0, 12)).join(', ')}); the catalog is consistent. Run \`shoebox check\`.`));
    }
    return result;
  }

  /** Gives Trash dates the purge cannot trust the date `now` ([Note: Trusted Trash dates]). */
  private restampUntrusted(floor: number, now: number): void {
    const n = this.ctx.cdb.db.prepare('UPDATE files SET trashed_at = ? WHERE trashed_at IS NOT NULL AND (trashed_at < ? OR trashed_at > ?)').run(now, floor, now).changes;
    if (n > 0) {
      this.ctx.activity.record('info', 'TRASH_REDATED', `${plural(n, 'file')} in Trash had a date the clock got wrong (before ${new Date(floor).toISOString().slice(0, 10)} or in the future); they are kept ${TRASH_DAYS} days from now`);
    }
  }

  /** Files in Trash, most recently trashed first. */
  list(): TrashedFile[] {
    const rows = this.ctx.cdb.db
      .prepare(
        `SELECT f.id AS fileId, f.name, f.size, f.trashed_at AS trashedAt, GROUP_CONCAT(a.name, char(30)) AS albums
         FROM files f LEFT JOIN trash_memberships t ON t.file_id = f.id LEFT JOIN albums a ON a.id = t.album_id
         WHERE f.trashed_at IS NOT NULL GROUP BY f.id ORDER BY f.trashed_at DESC, f.id`,
      )
      .all() as Array<Omit<TrashedFile, 'albums'> & { albums: string | null }>;
    return rows.map((r) => ({ ...r, albums: r.albums ? r.albums.split('\u001e') : [] }));
  }
}
