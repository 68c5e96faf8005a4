import { openDatabase } from '../catalog/sqlite-binding.js';
import { groupSimilar } from './group-similar.js';

/** Grouping work for a worker thread: it reads the vectors itself (read-only), so the main thread never holds them. */
export interface GroupTask {
  catalogPath: string;
  modelId: string;
  threshold: number;
  threads: number;
}

/** Groups of content hashes (each group ≥ 2 different contents). */
export interface GroupTaskResult {
  groups: string[][];
  images: number;
  ms: number;
}

/**
 * SQL: file `f` is live and not an earlier version of a live file. [Note: Versions are not
 * similar images] An edited file's earlier versions are its history, kept on purpose: grouped
 * with the current version (the edit is near-identical), \`similar --yes\` kept the earlier one
 * (it carried the camera's EXIF, the edit did not) and trashed the current version of a watched
 * file, whose source was then ignored. They are left out of Similar images.
 */
export function currentFile(f: string): string {
  return `${f}.trashed_at IS NULL AND NOT EXISTS (SELECT 1 FROM files n WHERE n.previous_version_id = ${f}.id AND n.trashed_at IS NULL)`;
}

/** Loads every live image's embedding for the model and groups them (see [Note: Similar grouping]). */
export async function runGroupTask(task: GroupTask): Promise<GroupTaskResult> {
  const started = Date.now();
  const db = openDatabase(task.catalogPath, { readonly: true, fileMustExist: true });
  try {
    const live = `FROM embeddings e WHERE e.model_id = @m AND EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = e.blob_hash AND ${currentFile('f')})`;
    const { n, dim } = db.prepare(`SELECT COUNT(*) AS n, MAX(e.dim) AS dim ${live}`).get({ m: task.modelId }) as { n: number; dim: number | null };
    // streamed into one array of half floats (100k images: 358 MB; reading all rows first held twice that)
    const all = new Uint16Array(n * (dim ?? 0));
    const hashes: string[] = [];
    for (const r of db.prepare(`SELECT e.blob_hash AS hash, e.dim, e.vector ${live} ORDER BY e.blob_hash`).iterate({ m: task.modelId }) as Iterable<{ hash: string; dim: number; vector: Buffer }>) {
      if (hashes.length === n) break; // rows added since the count wait for the next listing
      if (r.dim !== dim) continue; // not comparable (cannot happen within one model id)
      all.set(new Uint16Array(r.vector.buffer, r.vector.byteOffset, r.dim), hashes.length * r.dim);
      hashes.push(r.hash);
    }
    const groups = await groupSimilar({ dim: dim ?? 0, data: all.subarray(0, hashes.length * (dim ?? 0)) }, { threshold: task.threshold, threads: task.threads });
    return { groups: groups.map((g) => g.map((i) => hashes[i]!)), images: hashes.length, ms: Date.now() - started };
  } finally {
    db.close();
  }
}
