import type Database from 'better-sqlite3';

/**
 * Deletes the rows of one file purged from Trash (its parts, memberships, source records and
 * its row); its blobs are the caller's. A newer version of it then follows on from the version
 * before it: purging a middle version left the newest with no earlier history. Shared by
 * TrashService.purge and the replay of purges onto a recovered catalog.
 */
export function deleteFileRows(db: Database.Database, id: number): void {
  for (const sql of [
    'DELETE FROM live_parts WHERE file_id = @id',
    'DELETE FROM part_versions WHERE file_id = @id',
    'DELETE FROM trash_memberships WHERE file_id = @id',
    'DELETE FROM memberships WHERE file_id = @id',
    'DELETE FROM source_records WHERE file_id = @id',
    'DELETE FROM trashed_sources WHERE file_id = @id',
    'UPDATE files SET previous_version_id = (SELECT p.previous_version_id FROM files p WHERE p.id = @id) WHERE previous_version_id = @id',
    'DELETE FROM files WHERE id = @id',
  ]) db.prepare(sql).run({ id });
}
