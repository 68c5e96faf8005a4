// Piscina worker for the engine's heavy work. Each export takes a plain task, calls a pure
// engine function and returns plain data; all logic lives in main/core so it is tested there.
import sharp from 'sharp';
import { makeThumbnail, type ThumbnailResult, type ThumbnailTask } from '../main/core/thumbs/make-thumbnail.js';
import { copyOut as copyOutFile, type CopyOutResult, type CopyOutTask } from '../main/core/export/copy-out.js';
import { ingestFile, type IngestResult, type IngestTask } from '../main/core/upload/ingest-file.js';
import { embedBatch, type EmbedResult } from '../main/core/similar/embed.js';
import { runGroupTask, type GroupTask, type GroupTaskResult } from '../main/core/similar/group-task.js';
import { readImageFacts, type MediaFacts } from '../main/core/dates/image-facts.js';
import { makePreview, type PreviewTask } from '../main/core/media/make-preview.js';

// libvips keeps its own thread pool per process; the Piscina threads already give the
// parallelism, so one libvips thread each keeps the machine usable.
sharp.concurrency(1);

/** Sniff, hash and store one source file. */
export function ingest(task: IngestTask): Promise<IngestResult> {
  return ingestFile(task);
}

/** Make one thumbnail (and read the image's dimensions and capture date). */
export function thumbnail(task: ThumbnailTask): Promise<ThumbnailResult> {
  return makeThumbnail(task);
}

/** Write one library file out (export, restore), verified. */
export function copyOut(task: CopyOutTask): Promise<CopyOutResult> {
  return copyOutFile(task);
}

/** Embed a batch of images with the model. */
export function embed(task: { modelPath: string; items: Array<{ path: string; mediaType: string }> }): Promise<EmbedResult[]> {
  return embedBatch(task.modelPath, task.items);
}

/** Group the library's images by similarity (reads the catalog read-only). */
export function groupSimilar(task: GroupTask): Promise<GroupTaskResult> {
  return runGroupTask(task);
}

/** Read an image's capture date, camera and dimensions from its EXIF. */
export function facts(task: { path: string }): Promise<MediaFacts> {
  return readImageFacts(task.path);
}

/** Make a full-size JPEG of an image the browser can't show (HEIC, TIFF, a RAW's embedded preview). */
export function preview(task: PreviewTask): Promise<{ width: number; height: number }> {
  return makePreview(task);
}
