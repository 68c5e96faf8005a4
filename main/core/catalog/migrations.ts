/**
 * [Note: Catalog migrations]
 * Numbered, forward-only, each applied in its own transaction and recorded in
 * `PRAGMA user_version`. Never edit a shipped migration; add the next one.
 * A catalog whose user_version is above the last entry here was written by a newer
 * Shoebox and is refused (LIBRARY_TOO_NEW) rather than guessed at.
 */

/**
 * A file's capture day in SQL (whole days since the epoch, rounded down, of the timeline's
 * date: see [Note: Timeline order]); `row` is a trigger's `NEW.`/`OLD.` or ''. Part of migration
 * 10's text and of the queries that read its index: never change it, add a migration.
 */
export function captureDaySql(row: string): string {
  const at = `COALESCE(${row}taken_at, ${row}modified_at, ${row}created_at)`;
  return `(${at} / 86400000 - (${at} < 0 AND ${at} % 86400000 != 0))`;
}
const DAY = captureDaySql;

/** The migrations, in order (see [Note: Catalog migrations] above). */
export const migrations: readonly string[] = [
  // 1: the foundation schema.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE blobs (
    hash       TEXT PRIMARY KEY,           -- hex digest, algorithm in hash_algorithm
    hash_algorithm TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX blobs_size ON blobs(size);

  CREATE TABLE albums (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('user', 'uncategorized')),
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX albums_name ON albums(name) WHERE kind = 'user';
  CREATE UNIQUE INDEX albums_one_uncategorized ON albums(kind) WHERE kind = 'uncategorized';

  CREATE TABLE files (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    blob_hash   TEXT NOT NULL REFERENCES blobs(hash),
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    taken_at    INTEGER,                    -- capture time when known (ms)
    modified_at INTEGER,                    -- source mtime (ms)
    created_at  INTEGER NOT NULL,           -- when it entered the library (ms)
    previous_version_id INTEGER REFERENCES files(id),
    trashed_at  INTEGER                     -- NULL = live
  ) STRICT;
  CREATE INDEX files_hash_name ON files(blob_hash, name);
  CREATE INDEX files_trashed ON files(trashed_at) WHERE trashed_at IS NOT NULL;

  CREATE TABLE memberships (
    album_id INTEGER NOT NULL REFERENCES albums(id),
    file_id  INTEGER NOT NULL REFERENCES files(id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (album_id, file_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX memberships_file ON memberships(file_id);

  CREATE TABLE source_records (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL,
    album_id  INTEGER NOT NULL REFERENCES albums(id),
    file_id   INTEGER NOT NULL REFERENCES files(id),
    size      INTEGER NOT NULL,
    mtime_ms  INTEGER NOT NULL,
    ino       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (path, album_id)
  ) STRICT;
  CREATE INDEX source_records_file ON source_records(file_id);

  CREATE TABLE trash_memberships (           -- albums a trashed file was in, for restore
    file_id  INTEGER NOT NULL REFERENCES files(id),
    album_id INTEGER NOT NULL,
    PRIMARY KEY (file_id, album_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE activity (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    level   TEXT NOT NULL CHECK (level IN ('info', 'error')),
    code    TEXT NOT NULL,
    path    TEXT,
    file_id INTEGER,
    message TEXT NOT NULL
  ) STRICT;
  CREATE INDEX activity_level_at ON activity(level, at);
  `,
  // 2: watch folders, watch-owned source records, re-upload protection, live photos.
  `
  CREATE TABLE watches (
    id        INTEGER PRIMARY KEY,
    path      TEXT NOT NULL UNIQUE,
    mode      TEXT NOT NULL CHECK (mode IN ('single', 'separate')),
    poll      INTEGER NOT NULL DEFAULT 0,
    paused    INTEGER NOT NULL DEFAULT 0,
    root_dev  INTEGER,                     -- st_dev of the folder when added: a different device = not mounted
    added_at  INTEGER NOT NULL
  ) STRICT;

  ALTER TABLE source_records ADD COLUMN watch_id INTEGER REFERENCES watches(id);
  CREATE INDEX source_records_watch ON source_records(watch_id, path);
  CREATE INDEX source_records_watch_hash ON source_records(watch_id, hash);
  CREATE INDEX source_records_watch_ino ON source_records(watch_id, ino);

  CREATE TABLE ignored_sources (            -- sources whose library copy the user deleted
    path TEXT NOT NULL,
    hash TEXT NOT NULL,
    ignored_at INTEGER NOT NULL,
    PRIMARY KEY (path, hash)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE live_parts (                 -- the video half of a live photo
    file_id    INTEGER PRIMARY KEY REFERENCES files(id),
    blob_hash  TEXT NOT NULL REFERENCES blobs(hash),
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    media_type TEXT NOT NULL
  ) STRICT;
  CREATE INDEX live_parts_blob ON live_parts(blob_hash);
  CREATE INDEX files_previous ON files(previous_version_id) WHERE previous_version_id IS NOT NULL;
  `,
  // 3: image facts for review screens (dimensions, capture date), an index for the duplicate scan.
  `
  ALTER TABLE files ADD COLUMN width INTEGER;
  ALTER TABLE files ADD COLUMN height INTEGER;
  ALTER TABLE files ADD COLUMN facts_at INTEGER;   -- when width/height/taken_at were read (NULL = not yet)
  CREATE INDEX files_live_hash ON files(blob_hash) WHERE trashed_at IS NULL;

  -- [Note: Duplicate index] Each blob counts its live files, kept by triggers, so finding the
  -- duplicate groups reads only the blobs that have more than one (a partial index), not
  -- every file: 50k groups among 1M files are listed without scanning the 1M.
  ALTER TABLE blobs ADD COLUMN live_files INTEGER NOT NULL DEFAULT 0;
  UPDATE blobs SET live_files = (SELECT COUNT(*) FROM files f WHERE f.blob_hash = blobs.hash AND f.trashed_at IS NULL);
  CREATE INDEX blobs_duplicated ON blobs(hash) WHERE live_files > 1;
  CREATE TRIGGER files_live_insert AFTER INSERT ON files WHEN NEW.trashed_at IS NULL
  BEGIN
    UPDATE blobs SET live_files = live_files + 1 WHERE hash = NEW.blob_hash;
  END;
  CREATE TRIGGER files_live_delete AFTER DELETE ON files WHEN OLD.trashed_at IS NULL
  BEGIN
    UPDATE blobs SET live_files = live_files - 1 WHERE hash = OLD.blob_hash;
  END;
  CREATE TRIGGER files_live_update AFTER UPDATE OF trashed_at, blob_hash ON files
  BEGIN
    UPDATE blobs SET live_files = live_files - 1 WHERE hash = OLD.blob_hash AND OLD.trashed_at IS NULL;
    UPDATE blobs SET live_files = live_files + 1 WHERE hash = NEW.blob_hash AND NEW.trashed_at IS NULL;
  END;
  `,
  // 4: image embeddings for Similar images, per content and model.
  `
  CREATE TABLE embeddings (
    blob_hash  TEXT NOT NULL REFERENCES blobs(hash) ON DELETE CASCADE,
    model_id   TEXT NOT NULL,
    dim        INTEGER NOT NULL,
    vector     BLOB NOT NULL,                -- float16, L2-normalized
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blob_hash, model_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE embedding_failures (          -- not retried until the model changes
    blob_hash TEXT NOT NULL REFERENCES blobs(hash) ON DELETE CASCADE,
    model_id  TEXT NOT NULL,
    message   TEXT NOT NULL,
    PRIMARY KEY (blob_hash, model_id)
  ) STRICT, WITHOUT ROWID;
  `,
  // 5: offsite remotes (S3-compatible): configuration (no credentials), what was pushed, uploads in progress.
  `
  CREATE TABLE remotes (
    id         INTEGER PRIMARY KEY,
    url        TEXT NOT NULL UNIQUE,            -- s3://bucket/prefix/
    bucket     TEXT NOT NULL,
    prefix     TEXT NOT NULL,
    endpoint   TEXT,
    region     TEXT,
    added_at   INTEGER NOT NULL,
    last_snapshot_at INTEGER,
    last_error TEXT
  ) STRICT;
  CREATE TABLE remote_objects (
    remote_id INTEGER NOT NULL REFERENCES remotes(id) ON DELETE CASCADE,
    blob_hash TEXT NOT NULL,
    object    TEXT NOT NULL,
    size      INTEGER NOT NULL,
    pushed_at INTEGER NOT NULL,
    PRIMARY KEY (remote_id, blob_hash)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE remote_uploads (                 -- multipart uploads to resume after a crash
    remote_id INTEGER NOT NULL REFERENCES remotes(id) ON DELETE CASCADE,
    blob_hash TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    header    BLOB NOT NULL,                    -- the encryption header: the same bytes encrypt the same again
    parts     TEXT NOT NULL DEFAULT '{}',       -- JSON: part number → ETag, as each part is stored
    started_at INTEGER NOT NULL,
    PRIMARY KEY (remote_id, blob_hash)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE remote_deletes (                 -- purged blobs whose remote copies are still to delete
    remote_id INTEGER NOT NULL REFERENCES remotes(id) ON DELETE CASCADE,
    object    TEXT NOT NULL,
    PRIMARY KEY (remote_id, object)
  ) STRICT, WITHOUT ROWID;
  `,
  // 6: what the decode for the model measured (sharpness, clipping, a 16×16 grey thumbnail), for the best shot (issue #17).
  `
  ALTER TABLE embeddings ADD COLUMN features BLOB;
  `,
  // 7: capture dates for every file (issue #16) and where each came from; the timeline's order.
  `
  ALTER TABLE files ADD COLUMN date_source TEXT CHECK (date_source IN ('exif', 'quicktime', 'filename', 'mtime', 'added'));
  ALTER TABLE files ADD COLUMN camera TEXT;
  -- Dates read before this version came from EXIF (the thumbnail reader); the rest are found by
  -- the background back-fill, which walks the files that have none yet (resumable by construction).
  UPDATE files SET date_source = 'exif' WHERE taken_at IS NOT NULL;
  CREATE INDEX files_undated ON files(id) WHERE date_source IS NULL;
  -- [Note: Timeline order] newest first by capture date; until a file's date is found, its
  -- modification time (or when it was backed up) stands in. The same expression is used by
  -- every timeline query so this index serves them.
  CREATE INDEX files_timeline ON files(COALESCE(taken_at, modified_at, created_at) DESC, id DESC) WHERE trashed_at IS NULL;
  `,
  // 8: blob tombstones (issue #15). [Note: Blob tombstones] in blobs/blob-removal.ts.
  `
  CREATE TABLE blob_deletions (                 -- purged blobs whose file is still to remove
    hash      TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    queued_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
  // 9: what readers found wrong with stored bytes (issue #15). [Note: Blob health marks] in blobs/blob-health.ts.
  `
  ALTER TABLE blobs ADD COLUMN missing_at INTEGER;   -- the file was found gone (NULL = not known to be)
  ALTER TABLE blobs ADD COLUMN damaged_at INTEGER;   -- the bytes were found not to hash to the name, or of the wrong size
  CREATE INDEX blobs_unhealthy ON blobs(missing_at, damaged_at) WHERE missing_at IS NOT NULL OR damaged_at IS NOT NULL;
  `,
  // 10: Free up space (issue #20): sources Shoebox moved to the system Trash (or deleted on request)
  // after verifying their library copies. A watch treats such a path as freed, not deleted
  // ([Note: Freed is not deleted]); 'moving' rows are intents a crash may have cut short.
  `
  CREATE TABLE freed_sources (
    path       TEXT PRIMARY KEY,
    hash       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    mtime_ms   INTEGER NOT NULL,
    ino        INTEGER NOT NULL,
    method     TEXT NOT NULL CHECK (method IN ('trash', 'shell', 'delete')),
    state      TEXT NOT NULL CHECK (state IN ('moving', 'trashed', 'deleted')),
    trash_dir  TEXT,                       -- the freedesktop Trash it went to (files/ and info/ inside)
    trash_name TEXT,                       -- its name there
    freed_at   INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX freed_sources_moving ON freed_sources(state) WHERE state = 'moving';
  `,
  // 11: the timeline's day index (issue #16). [Note: Timeline day index] in catalog/timeline-catalog.ts.
  `
  CREATE TABLE timeline_days (                  -- live files per capture day (days since the epoch, wall clock)
    day   INTEGER PRIMARY KEY,
    files INTEGER NOT NULL
  ) STRICT;
  INSERT INTO timeline_days (day, files)
    SELECT ${DAY('')}, COUNT(*) FROM files WHERE trashed_at IS NULL GROUP BY 1;
  CREATE TRIGGER files_days_insert AFTER INSERT ON files WHEN NEW.trashed_at IS NULL
  BEGIN
    INSERT INTO timeline_days (day, files) VALUES (${DAY('NEW.')}, 1) ON CONFLICT (day) DO UPDATE SET files = files + 1;
  END;
  CREATE TRIGGER files_days_delete AFTER DELETE ON files WHEN OLD.trashed_at IS NULL
  BEGIN
    UPDATE timeline_days SET files = files - 1 WHERE day = ${DAY('OLD.')};
    DELETE FROM timeline_days WHERE day = ${DAY('OLD.')} AND files <= 0;
  END;
  CREATE TRIGGER files_days_update AFTER UPDATE OF taken_at, modified_at, created_at, trashed_at ON files
    WHEN (OLD.trashed_at IS NULL) != (NEW.trashed_at IS NULL) OR ${DAY('OLD.')} != ${DAY('NEW.')}
  BEGIN
    UPDATE timeline_days SET files = files - 1 WHERE day = ${DAY('OLD.')} AND OLD.trashed_at IS NULL;
    DELETE FROM timeline_days WHERE day = ${DAY('OLD.')} AND files <= 0;
    INSERT INTO timeline_days (day, files) SELECT ${DAY('NEW.')}, 1 WHERE NEW.trashed_at IS NULL ON CONFLICT (day) DO UPDATE SET files = files + 1;
  END;
  `,
  // 12: bringing a library in (issue #21): an item's parts beside its main file, sidecar metadata, sidecar date sources.
  `
  -- [Note: Item parts] The table keeps its first name (every query that asks whether a blob is
  -- still referenced reads it) but holds every extra part of a library item: a live photo's
  -- video ('live'), the RAW of a RAW+JPEG pair ('raw'), XMP sidecars ('xmp'). At most one live
  -- and one raw part per file; XMP sidecars by name.
  CREATE TABLE live_parts_v12 (
    file_id    INTEGER NOT NULL REFERENCES files(id),
    blob_hash  TEXT NOT NULL REFERENCES blobs(hash),
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    role       TEXT NOT NULL DEFAULT 'live' CHECK (role IN ('live', 'raw', 'xmp')),
    PRIMARY KEY (file_id, role, name)
  ) STRICT;
  INSERT INTO live_parts_v12 (file_id, blob_hash, name, size, media_type) SELECT file_id, blob_hash, name, size, media_type FROM live_parts;
  DROP TABLE live_parts;
  ALTER TABLE live_parts_v12 RENAME TO live_parts;
  CREATE INDEX live_parts_blob ON live_parts(blob_hash);
  CREATE UNIQUE INDEX live_parts_one_per_role ON live_parts(file_id, role) WHERE role IN ('live', 'raw');

  -- [Note: Sidecar metadata] What sidecars say about a file, one row per source: a Google
  -- Takeout JSON ('takeout'), an XMP file ('xmp'), and, once a file with sidecars is dated, what
  -- its own bytes said ('embedded', so an overridden EXIF date stays visible). Precedence:
  -- takeout, then xmp, then embedded (metadata/metadata-precedence.ts).
  CREATE TABLE file_metadata (
    file_id       INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    source        TEXT NOT NULL CHECK (source IN ('takeout', 'xmp', 'embedded')),
    sidecar       TEXT,                     -- the sidecar's path (inside its archive: zip!/entry)
    taken_at      INTEGER,                  -- capture date, wall clock read as UTC ([Note: Capture dates are wall-clock])
    taken_instant INTEGER,                  -- the same moment as an instant, when the source gave one (Takeout: UTC)
    latitude      REAL,
    longitude     REAL,
    altitude      REAL,
    description   TEXT,
    favorite      INTEGER CHECK (favorite IN (0, 1)),
    rating        INTEGER CHECK (rating BETWEEN -1 AND 5),
    read_at       INTEGER NOT NULL,
    PRIMARY KEY (file_id, source)
  ) STRICT, WITHOUT ROWID;

  -- Capture dates may now come from sidecars: the column is made again with the wider CHECK
  -- (SQLite can't alter a CHECK; the values are kept).
  CREATE TABLE date_sources_v12 (id INTEGER PRIMARY KEY, source TEXT NOT NULL) STRICT;
  INSERT INTO date_sources_v12 SELECT id, date_source FROM files WHERE date_source IS NOT NULL;
  DROP INDEX files_undated;
  ALTER TABLE files DROP COLUMN date_source;
  ALTER TABLE files ADD COLUMN date_source TEXT CHECK (date_source IN ('exif', 'quicktime', 'filename', 'mtime', 'added', 'takeout', 'xmp'));
  UPDATE files SET date_source = (SELECT k.source FROM date_sources_v12 k WHERE k.id = files.id) WHERE id IN (SELECT id FROM date_sources_v12);
  DROP TABLE date_sources_v12;
  CREATE INDEX files_undated ON files(id) WHERE date_source IS NULL;
  `,
  // 13: a file's errors are cleared once it is backed up or gone ([Note: Current errors] in catalog/activity-log.ts).
  `
  CREATE INDEX activity_error_path ON activity(path) WHERE level = 'error';
  `,
  // 14: [Note: Where an earlier version came from] The path a file's bytes were backed up from,
  // kept when a newer version takes over the path's source record: where the user deleted the
  // newer version from the library (Trash, or purged since), \`restore WATCH_PATH\` writes the
  // version before it at that path instead of leaving the photo out (restore-version after a
  // purge has no album to put it back into). Filled for existing versions from the activity log.
  `
  ALTER TABLE files ADD COLUMN source_path TEXT;
  UPDATE files SET source_path = (
    SELECT a.path FROM activity a JOIN files n ON n.id = a.file_id
    WHERE a.code = 'NEW_VERSION' AND a.path IS NOT NULL AND n.previous_version_id = files.id ORDER BY a.id DESC LIMIT 1)
  WHERE id IN (SELECT previous_version_id FROM files WHERE previous_version_id IS NOT NULL);
  CREATE INDEX files_source_path ON files(source_path) WHERE source_path IS NOT NULL;

  -- [Note: Source records in Trash] A file moved to Trash by the user loses its source records
  -- (its watched sources are then refused, see ignored_sources); they wait here, and come back
  -- when the file is restored from Trash: a Trash round trip left the file with no record of
  -- where it came from, so \`check --repair\` could not store its bytes again from the original.
  CREATE TABLE trashed_sources (
    file_id   INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    path      TEXT NOT NULL,
    album_id  INTEGER NOT NULL,
    watch_id  INTEGER,
    size      INTEGER NOT NULL,
    mtime_ms  INTEGER NOT NULL,
    ino       INTEGER NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (file_id, path, album_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX trashed_sources_hash ON trashed_sources(hash);
  `,
  // 15: [Note: Similar undo is kept] What each confirm of Similar images moved to Trash and
  // which albums it gave the kept images, so \`shoebox similar --undo\` (a later process) and the
  // window after a restart can take it back. album_id NULL: the file was moved to Trash at
  // trashed_at (a file in Trash since another time was put there by someone else: not this
  // confirm's to restore); else the kept file joined that album. The most recent 20 are kept.
  // Also trash_memberships.added_at and an index of ignored_sources by hash (below).
  `
  CREATE TABLE similar_undo (
    id         TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE similar_undo_items (
    undo_id    TEXT NOT NULL REFERENCES similar_undo(id) ON DELETE CASCADE,
    file_id    INTEGER NOT NULL,
    album_id   INTEGER,
    trashed_at INTEGER
  ) STRICT;
  CREATE INDEX similar_undo_items_undo ON similar_undo_items(undo_id);
  -- when the file joined each album it was in: restored from Trash (or by an undo), its place in
  -- an album's "recently added" is where it was, not the time of the restore
  ALTER TABLE trash_memberships ADD COLUMN added_at INTEGER;
  -- re-upload protection looks sources up by content (a deleted photo renamed is still deleted)
  CREATE INDEX ignored_sources_hash ON ignored_sources(hash);
  `,
  // 16: [Note: Part versions] The earlier bytes of an item's part (a RAW, XMP sidecar or live
  // video edited in place): kept, named by their file, listed by `history`, and purged with it.
  // Before, the part's row was pointed at the new bytes and the earlier ones were named by
  // nothing but their blob row: never shown, never freed.
  `
  CREATE TABLE part_versions (
    id          INTEGER PRIMARY KEY,
    file_id     INTEGER NOT NULL REFERENCES files(id),
    blob_hash   TEXT NOT NULL REFERENCES blobs(hash),
    role        TEXT NOT NULL CHECK (role IN ('live', 'raw', 'xmp')),
    name        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    media_type  TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX part_versions_file ON part_versions(file_id);
  CREATE INDEX part_versions_blob ON part_versions(blob_hash);
  `,
  // 17: [Note: A renamed album keeps its folder] The name an album had before the person first
  // renamed it: a watched folder that fed it under that name goes on feeding it (before, the
  // folder's next new file made a second album of the old name).
  `
  ALTER TABLE albums ADD COLUMN source_name TEXT;
  CREATE INDEX albums_source_name ON albums(source_name) WHERE source_name IS NOT NULL;
  `,
];

/** The schema version this build writes. */
export const CURRENT_SCHEMA_VERSION = migrations.length;
