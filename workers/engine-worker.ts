// Piscina worker for the engine's heavy work. Each export takes a plain task, calls a pure
// engine function and returns plain data; all logic lives in main/core so it is tested there.
//
// [Note: Workers load what a task needs]
// Every module is imported on the first task that needs it, not when the thread starts: an
// upload's threads only ever load the ingest code (file-type, crypto), never sharp, libvips,
// onnxruntime, SQLite or the HEIC decoder. Loading all of them at start cost each thread
// 0.3–1.3 s of CPU (measured on our loaded 2-core VM, issue #18) and ~60 MB of memory, four
// threads at a time, before the first file was read.
import { workerData } from 'piscina';
import { shareFaultCounters } from '../main/core/faults.js';
import { processLimit } from '../main/core/system-limits.js';
import { followPriority } from '../main/core/thread-priority.js';
import type { ThumbnailResult, ThumbnailTask } from '../main/core/thumbs/make-thumbnail.js';
import type { LargePreviewResult, LargePreviewTask } from '../main/core/thumbs/make-preview.js';
import type { CopyOutResult, CopyOutTask, PlaceQuery, PlaceState } from '../main/core/export/copy-out.js';
import type { IngestResult } from '../main/core/upload/ingest-file.js';
import type { IngestBatchTask } from '../main/core/upload/ingest-batch.js';
import type { EmbedResult, EmbedTask } from '../main/core/similar/infer.js';
import type { LayoutTask } from '../main/core/similar/embed.js';
import type { GroupTask, GroupTaskResult } from '../main/core/similar/group-task.js';
import type { SnapshotTask, SnapshotTaskResult } from '../main/core/catalog/catalog-snapshots.js';
import type { CheckpointResult } from '../main/core/catalog/checkpoints.js';
import type { MediaFacts } from '../main/core/dates/image-facts.js';
import type { PreviewTask } from '../main/core/media/make-preview.js';

const data = workerData as { faultCounters?: SharedArrayBuffer; background?: Int32Array } | undefined;
shareFaultCounters(data?.faultCounters);
const background = followPriority(data?.background);
// Read the process's limits now, while a descriptor is surely free: a task that runs out of them
// must still say which limit to raise, and by how much ([Note: Running under tight limits]).
processLimit('Max open files');

// A worker's console.log reaches the process's stdout, which belongs to the command's output
// (`--json` must stay parseable). Nothing of ours logs there; libheif's WebAssembly prints
// "Could not parse HEIF file…" for every damaged HEIC, a failure the task returns as data.
// eslint-disable-next-line no-console -- silencing third-party output, not logging
console.log = console.info = console.debug = () => undefined;

let sharpReady: Promise<void> | undefined;

/**
 * sharp, set up once before the first module that uses it runs: libvips keeps its own thread
 * pool per process and the Piscina threads already give the parallelism, so one libvips thread
 * each keeps the machine usable; its operation cache holds decoded images for reuse that never
 * comes here (each blob is read once), so it is off (issue #17's memory figures).
 */
function withSharp(): Promise<void> {
  sharpReady ??= import('sharp').then(({ default: sharp }) => {
    sharp.concurrency(1);
    sharp.cache(false);
  });
  return sharpReady;
}

/**
 * Every export is made by task(): it first lowers this thread when the engine runs live
 * ([Note: Background threads]), then sets sharp up if the task uses it. The mark lets a test
 * check that no export skips this (engine-worker.test.ts).
 */
function task<T, R>(run: (t: T) => Promise<R>, opts: { sharp?: boolean } = {}): (t: T) => Promise<R> {
  const fn = async (t: T): Promise<R> => {
    background();
    if (opts.sharp) await withSharp();
    return run(t);
  };
  return Object.assign(fn, { [Symbol.for('shoebox.engine-task')]: true });
}

/** Sniff, hash and (when asked) store a batch of source files, made durable together. */
export const ingestBatch = task(
  async (t: IngestBatchTask): Promise<IngestResult[]> => (await import('../main/core/upload/ingest-batch.js')).ingestBatch(t)
);

/** Make one thumbnail (and read the image's dimensions and capture date). */
export const thumbnail = task(
  async (t: ThumbnailTask): Promise<ThumbnailResult> => (await import('../main/core/thumbs/make-thumbnail.js')).makeThumbnail(t),
  { sharp: true },
);

/** Make a large WebP preview of one image (Similar images' compare view). */
export const largePreview = task(
  async (t: LargePreviewTask): Promise<LargePreviewResult> => (await import('../main/core/thumbs/make-preview.js')).makeLargePreview(t),
  { sharp: true },
);

/** Write one library file out (export, restore), verified. */
export const copyOut = task(
  async (t: CopyOutTask): Promise<CopyOutResult> => (await import('../main/core/export/copy-out.js')).copyOut(t)
);

/** Look at the places an export or restore is about to write: free, another file, or these bytes already. */
export const inspectPlaces = task(
  async (t: { places: PlaceQuery[] }): Promise<PlaceState[]> => (await import('../main/core/export/copy-out.js')).inspectPlaces(t.places)
);

/** Decode images and run the model on them (the model's thread). */
export const embed = task(
  async (t: EmbedTask): Promise<EmbedResult[]> => (await import('../main/core/similar/infer.js')).embedFiles(t),
  { sharp: true },
);

/** Make the pixel-check thumbnails of images (Similar images' near-identical groups). */
export const layouts = task(
  async (t: LayoutTask): Promise<Array<Uint8Array | null>> => (await import('../main/core/similar/embed.js')).layoutFiles(t),
  { sharp: true },
);

/** Group the library's images by similarity (reads the catalog read-only). */
export const groupSimilar = task(
  async (t: GroupTask): Promise<GroupTaskResult> => (await import('../main/core/similar/group-task.js')).runGroupTask(t)
);

/** Write, verify and prune a catalog snapshot (see [Note: Catalog snapshots]). */
export const snapshotCatalog = task(
  async (t: SnapshotTask): Promise<SnapshotTaskResult> => (await import('../main/core/catalog/catalog-snapshots.js')).runSnapshotTask(t)
);

/** Copy the catalog's WAL into the catalog file ([Note: Checkpoints off the main thread]). */
export const checkpointCatalog = task(
  async (t: { catalogPath: string }): Promise<CheckpointResult> => (await import('../main/core/catalog/checkpoints.js')).checkpointCatalog(t)
);

/** Read an image's capture date, camera and dimensions from its EXIF. */
export const facts = task(
  async (t: { path: string }): Promise<MediaFacts> => (await import('../main/core/dates/image-facts.js')).readImageFacts(t.path),
  { sharp: true },
);

/** Make a full-size JPEG of an image the browser can't show (HEIC, TIFF, a RAW's embedded preview). */
export const preview = task(
  async (t: PreviewTask): Promise<{ width: number; height: number }> => (await import('../main/core/media/make-preview.js')).makePreview(t),
  { sharp: true },
);
