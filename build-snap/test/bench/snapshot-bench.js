import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../main/core/engine.js';
import { writeSnapshot } from '../../main/core/catalog/catalog-snapshots.js';
import { salvageCatalog } from '../../main/core/catalog/catalog-salvage.js';
import { checkpoint, damagePage, pagesOf } from '../support/catalog-damage.js';
import { syntheticLibrary } from '../support/synthetic-library.js';
const FILES = 100_000;
/** The longest stall of the event loop while `work` runs (a 10 ms timer that should fire on time). */
async function withLagMeter(work) {
    let maxLag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
        const now = performance.now();
        maxLag = Math.max(maxLag, now - last - 10);
        last = now;
    }, 10);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 20));
    const result = await work();
    await new Promise((r) => setTimeout(r, 20));
    clearInterval(timer);
    return { result, ms: performance.now() - started - 40, maxLagMs: maxLag };
}
/**
 * Issue #15 row: a catalog snapshot of a 100k-file catalog (VACUUM INTO + integrity_check) in
 * the engine's worker, next to the same work on the main thread (the baseline): how long, and
 * how long the event loop (the window, the API) stalls. Plus reading a damaged copy row by row.
 */
export async function snapshotBench(work) {
    const library = path.join(work, 'library-100k-catalog');
    const catalog = path.join(library, 'catalog.sqlite');
    if (!fs.existsSync(catalog)) {
        await syntheticLibrary(library, { files: FILES, groups: 5_000, albums: 200 });
        const db = new Database(catalog);
        db.prepare(`INSERT INTO source_records (path, album_id, file_id, size, mtime_ms, ino, hash, recorded_at)
      SELECT '/home/me/Pictures/Album ' || (id % 200) || '/IMG_' || id || '.jpg', 1, id, size, modified_at, id, blob_hash, 0 FROM files`).run();
        db.close();
    }
    const mb = (fs.statSync(catalog).size / 1e6).toFixed(0);
    const group = `catalog snapshot, ${FILES / 1000}k files (${mb} MB): copy + integrity_check`;
    const engine = Engine.open({ libraryDir: library });
    const snapshots = path.join(work, 'snapshot-bench');
    let worker;
    let main;
    try {
        fs.rmSync(snapshots, { recursive: true, force: true });
        worker = await withLagMeter(() => engine.snapshotCatalog('before-repair'));
        main = await withLagMeter(() => Promise.resolve(writeSnapshot(catalog, snapshots, 'before-repair', Date.now())));
    }
    finally {
        await engine.close();
    }
    const copy = path.join(snapshots, 'damaged-copy.sqlite');
    fs.copyFileSync(catalog, copy);
    checkpoint(copy);
    damagePage(copy, pagesOf(copy, 'files').filter((p) => p.type === 'leaf')[500].page);
    const t0 = performance.now();
    const salvage = salvageCatalog(copy);
    const salvageMs = performance.now() - t0;
    fs.rmSync(snapshots, { recursive: true, force: true });
    fs.rmSync(path.join(library, 'snapshots'), { recursive: true, force: true });
    return [
        { group, tool: 'shoebox (worker thread)', value: `${(worker.ms / 1000).toFixed(1)} s`, ratio: `event loop stalls ≤ ${worker.maxLagMs.toFixed(0)} ms`, note: 'what run/serve/the app do' },
        { group, tool: 'same on the main thread', value: `${(main.ms / 1000).toFixed(1)} s`, ratio: `event loop stalls ${main.maxLagMs.toFixed(0)} ms`, note: 'baseline' },
        { group: `salvage of a damaged ${mb} MB catalog (one files page)`, tool: 'shoebox check --recover', value: `${(salvageMs / 1000).toFixed(1)} s`, note: `${salvage.files.length} of ${FILES} file rows read, ${salvage.rowsLost} damaged stretch(es)` },
    ];
}
//# sourceMappingURL=snapshot-bench.js.map