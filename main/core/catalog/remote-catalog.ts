import type Database from 'better-sqlite3';
import type { RemoteLocation } from '../remote/s3-store.js';
import type { CatalogDb } from './catalog.js';

/** A remote as stored in the catalog. */
export interface RemoteRow extends RemoteLocation {
  id: number;
  addedAt: number;
  lastSnapshotAt: number | null;
  lastError: string | null;
}

/** How far a remote is, counted in the catalog. */
export interface RemoteCounts {
  pushedBlobs: number;
  pendingBlobs: number;
  pushedBytes: number;
  openUploads: number;
  pendingDeletes: number;
}

/** A multipart upload that was started and can be resumed: its id, encryption header and the parts stored (part number → ETag). */
export interface SavedUpload {
  uploadId: string;
  header: Buffer;
  parts: Map<number, string>;
}

/**
 * What the catalog knows about offsite remotes (issue #10): the remotes, which blobs each holds
 * (`remote_objects`), objects to delete there (`remote_deletes`) and multipart uploads in
 * progress (`remote_uploads`). The remote services ask it; they hold no SQL.
 */
export class RemoteCatalog {
  constructor(private readonly cdb: CatalogDb, private readonly now: () => number) {}

  private get db() {
    return this.cdb.db;
  }

  /** Every remote, oldest first. */
  list(): RemoteRow[] {
    return this.db.prepare('SELECT id, url, bucket, prefix, endpoint, region, added_at AS addedAt, last_snapshot_at AS lastSnapshotAt, last_error AS lastError FROM remotes ORDER BY id').all() as RemoteRow[];
  }

  /** Records a new remote; returns its id. */
  add(loc: RemoteLocation): number {
    return this.cdb.write(() => Number(this.db.prepare('INSERT INTO remotes (url, bucket, prefix, endpoint, region, added_at) VALUES (?, ?, ?, ?, ?, ?)').run(loc.url, loc.bucket, loc.prefix, loc.endpoint, loc.region, this.now()).lastInsertRowid));
  }

  /** Forgets a remote (and, by the schema's cascades, what it holds). */
  remove(id: number): void {
    this.cdb.write(() => this.db.prepare('DELETE FROM remotes WHERE id = ?').run(id));
  }

  /** How far a remote is. */
  counts(id: number): RemoteCounts {
    const one = <T>(sql: string) => this.db.prepare(sql).get(id) as T;
    const pushed = one<{ n: number; b: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM remote_objects WHERE remote_id = ?');
    return {
      pushedBlobs: pushed.n,
      pushedBytes: pushed.b,
      pendingBlobs: one<{ n: number }>('SELECT COUNT(*) AS n FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM remote_objects o WHERE o.remote_id = ? AND o.blob_hash = b.hash)').n,
      openUploads: one<{ n: number }>('SELECT COUNT(*) AS n FROM remote_uploads WHERE remote_id = ?').n,
      pendingDeletes: one<{ n: number }>('SELECT COUNT(*) AS n FROM remote_deletes WHERE remote_id = ?').n,
    };
  }

  /** Purged blobs: their objects are queued for deletion on the remote and no longer count as pushed (one transaction). */
  queueDeletes(remoteId: number, objects: Array<{ hash: string; object: string }>): void {
    this.cdb.write(() => {
      const queue = this.db.prepare('INSERT OR IGNORE INTO remote_deletes (remote_id, object) VALUES (?, ?)');
      const unpush = this.db.prepare('DELETE FROM remote_objects WHERE remote_id = ? AND blob_hash = ?');
      for (const o of objects) {
        queue.run(remoteId, o.object);
        unpush.run(remoteId, o.hash);
      }
    });
  }

  /** Objects waiting to be deleted on a remote. */
  pendingDeletes(remoteId: number): string[] {
    return (this.db.prepare('SELECT object FROM remote_deletes WHERE remote_id = ?').all(remoteId) as { object: string }[]).map((d) => d.object);
  }

  /** An object was deleted on the remote. */
  deleted(remoteId: number, object: string): void {
    this.cdb.write(() => {
      this.db.prepare('DELETE FROM remote_deletes WHERE remote_id = ? AND object = ?').run(remoteId, object);
      // A push that raced the purge may have recorded this object again: it is gone now, so a
      // later upload of the same bytes must be pushed again, not taken as already there.
      this.db.prepare('DELETE FROM remote_objects WHERE remote_id = ? AND object = ?').run(remoteId, object);
    });
  }

  /** Blobs the remote lacks, smallest first. */
  unpushedBlobs(remoteId: number): Array<{ hash: string; size: number }> {
    return this.db.prepare('SELECT b.hash, b.size FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM remote_objects o WHERE o.remote_id = ? AND o.blob_hash = b.hash) ORDER BY b.size').all(remoteId) as Array<{ hash: string; size: number }>;
  }

  /** True if the catalog records this blob as pushed to the remote. */
  isPushed(remoteId: number, hash: string): boolean {
    return this.db.prepare('SELECT 1 FROM remote_objects WHERE remote_id = ? AND blob_hash = ?').get(remoteId, hash) !== undefined;
  }

  /** A blob is stored on the remote under `object` (`size`: its encrypted size). */
  markPushed(remoteId: number, hash: string, object: string, size: number): void {
    this.cdb.write(() => this.db.prepare('INSERT OR REPLACE INTO remote_objects (remote_id, blob_hash, object, size, pushed_at) VALUES (?, ?, ?, ?, ?)').run(remoteId, hash, object, size, this.now()));
  }

  /** The last push's failure for people, or null once a push went through. */
  setError(remoteId: number, message: string | null): void {
    this.cdb.write(() => this.db.prepare('UPDATE remotes SET last_error = ? WHERE id = ?').run(message, remoteId));
  }

  /** A catalog snapshot reached the remote now. */
  snapshotPushed(remoteId: number): void {
    this.cdb.write(() => this.db.prepare('UPDATE remotes SET last_snapshot_at = ? WHERE id = ?').run(this.now(), remoteId));
  }

  /** Ids of the multipart uploads this library started on a remote (others under its prefix are a crash's leftovers). */
  uploadIds(remoteId: number): Set<string> {
    return new Set((this.db.prepare('SELECT upload_id FROM remote_uploads WHERE remote_id = ?').all(remoteId) as { upload_id: string }[]).map((x) => x.upload_id));
  }

  /** A multipart upload of `key` (a blob hash, or `catalog:<object>`) to resume, if one was started. */
  savedUpload(remoteId: number, key: string): SavedUpload | undefined {
    const row = this.db.prepare('SELECT upload_id AS uploadId, header, parts FROM remote_uploads WHERE remote_id = ? AND blob_hash = ?').get(remoteId, key) as { uploadId: string; header: Buffer; parts: string } | undefined;
    if (!row) return undefined;
    return { uploadId: row.uploadId, header: row.header, parts: new Map(Object.entries(JSON.parse(row.parts) as Record<string, string>).map(([n, e]) => [Number(n), e])) };
  }

  /** Records a started multipart upload with its encryption header (so a resumed one encrypts to the same bytes). */
  startUpload(remoteId: number, key: string, uploadId: string, header: Buffer): void {
    this.cdb.write(() => this.db.prepare('INSERT OR REPLACE INTO remote_uploads (remote_id, blob_hash, upload_id, header, parts, started_at) VALUES (?, ?, ?, ?, ?, ?)').run(remoteId, key, uploadId, header, '{}', this.now()));
  }

  /** Records the parts stored so far. */
  saveParts(remoteId: number, key: string, parts: Map<number, string>): void {
    const json = JSON.stringify(Object.fromEntries(parts));
    this.cdb.write(() => this.db.prepare('UPDATE remote_uploads SET parts = ? WHERE remote_id = ? AND blob_hash = ?').run(json, remoteId, key));
  }

  /** A multipart upload finished or was given up. */
  dropUpload(remoteId: number, key: string): void {
    this.cdb.write(() => this.db.prepare('DELETE FROM remote_uploads WHERE remote_id = ? AND blob_hash = ?').run(remoteId, key));
  }
}

/** Every blob of a catalog (the live one, or one rebuilt from a remote's snapshot). */
export function blobsIn(db: Database.Database): Array<{ hash: string; size: number }> {
  return db.prepare('SELECT hash, size FROM blobs').all() as Array<{ hash: string; size: number }>;
}

/** The names of the files whose bytes these are (to name them in a report). */
export function fileNamesOf(db: Database.Database, hash: string): string[] {
  return (db.prepare('SELECT name FROM files WHERE blob_hash = ?').all(hash) as { name: string }[]).map((x) => x.name);
}

/** The id a remote has in a catalog, if that catalog knows it. */
export function remoteIdIn(db: Database.Database, url: string): number | undefined {
  return (db.prepare('SELECT id FROM remotes WHERE url = ?').get(url) as { id: number } | undefined)?.id;
}
