import { openDatabase } from '../catalog/sqlite-binding.js';
import { F16_TABLE } from './f16.js';
import { groupSimilar } from './group-similar.js';
/** Loads every live image's embedding for the model and groups them (see [Note: Similar grouping]). */
export async function runGroupTask(task) {
    const started = Date.now();
    const db = openDatabase(task.catalogPath, { readonly: true, fileMustExist: true });
    try {
        const rows = db
            .prepare(`SELECT e.blob_hash AS hash, e.dim, e.vector FROM embeddings e
         WHERE e.model_id = ? AND EXISTS (SELECT 1 FROM files f WHERE f.blob_hash = e.blob_hash AND f.trashed_at IS NULL)
         ORDER BY e.blob_hash`)
            .all(task.modelId);
        const n = rows.length;
        const dim = rows[0]?.dim ?? 0;
        const all = new Uint16Array(n * dim);
        rows.forEach((r, i) => all.set(new Uint16Array(r.vector.buffer, r.vector.byteOffset, dim), i * dim));
        const hashes = rows.map((r) => r.hash);
        rows.length = 0;
        const read = (i, out) => {
            const base = i * dim;
            for (let d = 0; d < dim; d++)
                out[d] = F16_TABLE[all[base + d]];
        };
        const groups = await groupSimilar(n, dim, read, { threshold: task.threshold, threads: task.threads });
        return { groups: groups.map((g) => g.map((i) => hashes[i])), images: n, ms: Date.now() - started };
    }
    finally {
        db.close();
    }
}
//# sourceMappingURL=group-task.js.map