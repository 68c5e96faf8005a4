// Piscina worker for the engine's heavy work. Each export takes a plain task, calls a pure
// engine function and returns plain data; all logic lives in main/core so it is tested there.
// Each task's module is loaded on its first use: a thread that only decodes for the model never
// loads onnxruntime, SQLite or the HEIC decoder (issue #17: importing everything cost each
// thread ~0.4 s of CPU and its share of memory).
import { workerData } from 'piscina';
import sharp from 'sharp';
import { shareFaultCounters } from '../main/core/faults.js';
import type { ThumbnailResult, ThumbnailTask } from '../main/core/thumbs/make-thumbnail.js';
import type { LargePreviewResult, LargePreviewTask } from '../main/core/thumbs/make-preview.js';
import type { CopyOutResult, CopyOutTask } from '../main/core/export/copy-out.js';
import type { IngestResult, IngestTask } from '../main/core/upload/ingest-file.js';
import type { EmbedResult, EmbedTask } from '../main/core/similar/infer.js';
import type { GroupTask, GroupTaskResult } from '../main/core/similar/group-task.js';
import type { SnapshotTask, SnapshotTaskResult } from '../main/core/catalog/catalog-snapshots.js';
import type { MediaFacts } from '../main/core/dates/image-facts.js';
import type { PreviewTask } from '../main/core/media/make-preview.js';

// libvips keeps its own thread pool per process; the Piscina threads already give the
// parallelism, so one libvips thread each keeps the machine usable.
sharp.concurrency(1);
// libvips's operation cache holds decoded images for reuse that never comes here (each blob is
// read once); off, it keeps indexing's memory down (issue #17).
sharp.cache(false);
shareFaultCounters((workerData as { faultCounters?: SharedArrayBuffer } | undefined)?.faultCounters);

/** Sniff, hash and store one source file. */
export async function ingest(task: IngestTask): Promise<IngestResult> {
  return (await import('../main/core/upload/ingest-file.js')).ingestFile(task);
}

/** Make one thumbnail (and read the image's dimensions). */
export async function thumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
  return (await import('../main/core/thumbs/make-thumbnail.js')).makeThumbnail(task);
}

/** Make a large WebP preview of one image (Similar images' compare view). */
export async function largePreview(task: LargePreviewTask): Promise<LargePreviewResult> {
  return (await import('../main/core/thumbs/make-preview.js')).makeLargePreview(task);
}

/** Write one library file out (export, restore), verified. */
export async function copyOut(task: CopyOutTask): Promise<CopyOutResult> {
  return (await import('../main/core/export/copy-out.js')).copyOut(task);
}

/** Decode images and run the model on them (the model's thread). */
export async function embed(task: EmbedTask): Promise<EmbedResult[]> {
  return (await import('../main/core/similar/infer.js')).embedFiles(task);
}

/** Group the library's images by similarity (reads the catalog read-only). */
export async function groupSimilar(task: GroupTask): Promise<GroupTaskResult> {
  return (await import('../main/core/similar/group-task.js')).runGroupTask(task);
}

/** Write, verify and prune a catalog snapshot (see [Note: Catalog snapshots]). */
export async function snapshotCatalog(task: SnapshotTask): Promise<SnapshotTaskResult> {
  return (await import('../main/core/catalog/catalog-snapshots.js')).runSnapshotTask(task);
}

/** Read an image's capture date, camera and dimensions from its EXIF. */
export async function facts(task: { path: string }): Promise<MediaFacts> {
  return (await import('../main/core/dates/image-facts.js')).readImageFacts(task.path);
}

/** Make a full-size JPEG of an image the browser can't show (HEIC, TIFF, a RAW's embedded preview). */
export async function preview(task: PreviewTask): Promise<{ width: number; height: number }> {
  return (await import('../main/core/media/make-preview.js')).makePreview(task);
}
