// Piscina worker for the engine's heavy work. Each export takes a plain task, calls a pure
// engine function and returns plain data; all logic lives in main/core so it is tested there.
import { workerData } from 'piscina';
import sharp from 'sharp';
import { shareFaultCounters } from '../main/core/faults.js';
import { makeThumbnail, type ThumbnailResult, type ThumbnailTask } from '../main/core/thumbs/make-thumbnail.js';
import { makeLargePreview, type LargePreviewResult, type LargePreviewTask } from '../main/core/thumbs/make-preview.js';
import { copyOut as copyOutFile, type CopyOutResult, type CopyOutTask } from '../main/core/export/copy-out.js';
import { ingestFile, type IngestResult, type IngestTask } from '../main/core/upload/ingest-file.js';
import { decodeTask, inferBatch, type DecodeResult } from '../main/core/similar/embed.js';
import { runGroupTask, type GroupTask, type GroupTaskResult } from '../main/core/similar/group-task.js';
import { runSnapshotTask, type SnapshotTask, type SnapshotTaskResult } from '../main/core/catalog/catalog-snapshots.js';
import { readImageFacts, type MediaFacts } from '../main/core/dates/image-facts.js';
import { makePreview, type PreviewTask } from '../main/core/media/make-preview.js';

// libvips keeps its own thread pool per process; the Piscina threads already give the
// parallelism, so one libvips thread each keeps the machine usable.
sharp.concurrency(1);
// libvips's operation cache holds decoded images for reuse that never comes here (each blob is
// read once); off, it keeps indexing's memory down (issue #17).
sharp.cache(false);
shareFaultCounters((workerData as { faultCounters?: SharedArrayBuffer } | undefined)?.faultCounters);

/** Sniff, hash and store one source file. */
export function ingest(task: IngestTask): Promise<IngestResult> {
  return ingestFile(task);
}

/** Make one thumbnail (and read the image's dimensions and capture date). */
export function thumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
  return makeThumbnail(task);
}

/** Make a large WebP preview of one image (Similar images' compare view). */
export function largePreview(task: LargePreviewTask): Promise<LargePreviewResult> {
  return makeLargePreview(task);
}

/** Write one library file out (export, restore), verified. */
export function copyOut(task: CopyOutTask): Promise<CopyOutResult> {
  return copyOutFile(task);
}

/** Decode one image for the model (and measure its sharpness and clipping). */
export function decodeImage(task: { path: string; mediaType: string }): Promise<DecodeResult> {
  return decodeTask(task.path, task.mediaType);
}

/** Run the model on decoded images. */
export function infer(task: { modelPath: string; images: Uint8Array[] }): Promise<Float32Array[]> {
  return inferBatch(task.modelPath, task.images);
}

/** Group the library's images by similarity (reads the catalog read-only). */
export function groupSimilar(task: GroupTask): Promise<GroupTaskResult> {
  return runGroupTask(task);
}

/** Write, verify and prune a catalog snapshot (see [Note: Catalog snapshots]). */
export function snapshotCatalog(task: SnapshotTask): SnapshotTaskResult {
  return runSnapshotTask(task);
}

/** Read an image's capture date, camera and dimensions from its EXIF. */
export function facts(task: { path: string }): Promise<MediaFacts> {
  return readImageFacts(task.path);
}

/** Make a full-size JPEG of an image the browser can't show (HEIC, TIFF, a RAW's embedded preview). */
export function preview(task: PreviewTask): Promise<{ width: number; height: number }> {
  return makePreview(task);
}
