// Piscina worker for the engine's heavy work. Each export takes a plain task, calls a pure
// engine function and returns plain data; all logic lives in main/core so it is tested there.
import { workerData } from 'piscina';
import sharp from 'sharp';
import { shareFaultCounters } from '../main/core/faults.js';
import { makeThumbnail } from '../main/core/thumbs/make-thumbnail.js';
import { makeLargePreview } from '../main/core/thumbs/make-preview.js';
import { copyOut as copyOutFile } from '../main/core/export/copy-out.js';
import { ingestFile } from '../main/core/upload/ingest-file.js';
import { decodeTask, inferBatch } from '../main/core/similar/embed.js';
import { runGroupTask } from '../main/core/similar/group-task.js';
import { runSnapshotTask } from '../main/core/catalog/catalog-snapshots.js';
import { readImageFacts } from '../main/core/dates/image-facts.js';
import { makePreview } from '../main/core/media/make-preview.js';
// libvips keeps its own thread pool per process; the Piscina threads already give the
// parallelism, so one libvips thread each keeps the machine usable.
sharp.concurrency(1);
// libvips's operation cache holds decoded images for reuse that never comes here (each blob is
// read once); off, it keeps indexing's memory down (issue #17).
sharp.cache(false);
shareFaultCounters(workerData?.faultCounters);
/** Sniff, hash and store one source file. */
export function ingest(task) {
    return ingestFile(task);
}
/** Make one thumbnail (and read the image's dimensions and capture date). */
export function thumbnail(task) {
    return makeThumbnail(task);
}
/** Make a large WebP preview of one image (Similar images' compare view). */
export function largePreview(task) {
    return makeLargePreview(task);
}
/** Write one library file out (export, restore), verified. */
export function copyOut(task) {
    return copyOutFile(task);
}
/** Decode one image for the model (and measure its sharpness and clipping). */
export function decodeImage(task) {
    return decodeTask(task.path, task.mediaType);
}
/** Run the model on decoded images. */
export function infer(task) {
    return inferBatch(task.modelPath, task.images);
}
/** Group the library's images by similarity (reads the catalog read-only). */
export function groupSimilar(task) {
    return runGroupTask(task);
}
/** Write, verify and prune a catalog snapshot (see [Note: Catalog snapshots]). */
export function snapshotCatalog(task) {
    return runSnapshotTask(task);
}
/** Read an image's capture date, camera and dimensions from its EXIF. */
export function facts(task) {
    return readImageFacts(task.path);
}
/** Make a full-size JPEG of an image the browser can't show (HEIC, TIFF, a RAW's embedded preview). */
export function preview(task) {
    return makePreview(task);
}
//# sourceMappingURL=engine-worker.js.map