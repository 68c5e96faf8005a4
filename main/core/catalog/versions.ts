import type { EngineContext } from '../engine-context.js';
import type { PartVersion } from './item-parts.js';
import { ShoeboxError } from '../errors.js';

/** One version of an edited photo. */
export interface FileVersion {
  fileId: number;
  name: string;
  size: number;
  hash: string;
  createdAt: number;
  trashed: boolean;
  albums: string[];
  /** Earlier bytes of this version's parts (its RAW, XMP sidecars, live video edited in place), newest first ([Note: Part versions]). */
  partVersions: PartVersion[];
}

/**
 * The version history of a file (DESIGN §2 "Modified file"): every file linked to it through
 * previous_version_id, newest first.
 */
export function fileHistory(ctx: EngineContext, fileId: number): FileVersion[] {
  const db = ctx.cdb.db;
  if (!db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId)) throw new ShoeboxError('NOT_FOUND', `There is no file ${fileId} in the library.`, { hint: '`shoebox ls` shows file ids.' });
  let head = fileId;
  for (let guard = 0; guard < 10_000; guard++) {
    const newer = db.prepare('SELECT id FROM files WHERE previous_version_id = ? ORDER BY id DESC LIMIT 1').get(head) as { id: number } | undefined;
    if (!newer) break;
    head = newer.id;
  }
  const versions: FileVersion[] = [];
  for (let id: number | null = head, guard = 0; id !== null && guard < 10_000; guard++) {
    const row = db
      .prepare(
        `SELECT f.id AS fileId, f.name, f.size, f.blob_hash AS hash, f.created_at AS createdAt, f.trashed_at IS NOT NULL AS trashed, f.previous_version_id AS prev,
                (SELECT GROUP_CONCAT(a.name, char(30)) FROM memberships m JOIN albums a ON a.id = m.album_id WHERE m.file_id = f.id) AS albums
         FROM files f WHERE f.id = ?`,
      )
      .get(id) as (Omit<FileVersion, 'albums' | 'trashed'> & { trashed: number; prev: number | null; albums: string | null }) | undefined;
    if (!row) break;
    versions.push({ fileId: row.fileId, name: row.name, size: row.size, hash: row.hash, createdAt: row.createdAt, trashed: row.trashed === 1, albums: row.albums ? row.albums.split('\u001e') : [], partVersions: ctx.catalog.parts.versionsOf(row.fileId) });
    id = row.prev;
  }
  return versions;
}

/** Puts an earlier version back into the albums its newest version is in (it leaves Uncategorized). */
export function restoreVersion(ctx: EngineContext, versionId: number): { albums: string[] } {
  const history = fileHistory(ctx, versionId);
  const version = history.find((v) => v.fileId === versionId)!;
  if (version.trashed) throw new ShoeboxError('CONFLICT', `That version (file ${versionId}) is in Trash; restore it from Trash first.`, { hint: `(\`shoebox trash restore ${versionId}\`)` });
  const head = history[0]!;
  const db = ctx.cdb.db;
  const inAlbum = db.prepare(`SELECT 1 FROM memberships m JOIN albums a ON a.id = m.album_id WHERE m.file_id = ? AND a.kind = 'user' LIMIT 1`);
  if (head.fileId === versionId && inAlbum.get(versionId) !== undefined) {
    const edits = history.length > 1 ? `its earlier versions are ${history.slice(1).map((v) => v.fileId).join(', ')}` : 'it has no earlier versions';
    throw new ShoeboxError('CONFLICT', `File ${versionId} (${version.name}) is the current version, in ${version.albums.join(', ')}: there is nothing to put back (${edits}).`, { hint: `\`shoebox history ${versionId}\` lists its versions.` });
  }
  return ctx.cdb.write(() => {
    const albums = db.prepare(`SELECT a.id, a.name FROM memberships m JOIN albums a ON a.id = m.album_id WHERE m.file_id = ? AND a.kind = 'user'`).all(head.fileId) as { id: number; name: string }[];
    for (const a of albums) ctx.catalog.addMembership(a.id, versionId);
    ctx.activity.record('info', 'VERSION_RESTORED', `An earlier version of ${head.name} is back in ${albums.map((a) => a.name).join(', ') || 'Uncategorized'}`, null, versionId);
    return { albums: albums.map((a) => a.name) };
  });
}
