import { blobPath } from '../blobs/blob-store.js';
import { TimelineCatalog, type FoundDate, type UndatedFile } from '../catalog/timeline-catalog.js';
import type { EngineContext } from '../engine-context.js';
import { injectFault } from '../faults.js';
import { ExifToolReader } from './exiftool-reader.js';
import { dateFromFileName, wallClockOf } from './file-name-date.js';
import { sharpReadsExif, type MediaFacts } from './image-facts.js';

/**
 * Capture dates for every file (DESIGN §10): from a sidecar (a Google Takeout JSON, then XMP:
 * DESIGN §12), else from the file's metadata (EXIF for images, HEIC and RAW; QuickTime/MP4 for
 * videos), else a date in its name, else its modification time,
 * else when it was backed up — with the source recorded. Works through the files that have no
 * date yet in id order, a batch per transaction, so an interrupted back-fill simply continues
 * where the catalog says it stopped.
 */
export class CaptureDateService {
  private readonly catalog: TimelineCatalog;
  private readonly exiftool = new ExifToolReader();
  private running: Promise<number> | undefined;

  constructor(private readonly ctx: EngineContext) {
    this.catalog = new TimelineCatalog(ctx.cdb);
  }

  /** How many files still wait for a date. */
  pending(): number {
    return this.catalog.undatedCount();
  }

  /** Dates up to `max` files (one run at a time); returns how many got one. */
  backfill(opts: { max?: number; batch?: number; shouldStop?: () => boolean } = {}): Promise<number> {
    this.running ??= this.run(opts).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run({ max = Number.MAX_SAFE_INTEGER, batch = 64, shouldStop }: { max?: number; batch?: number; shouldStop?: () => boolean }): Promise<number> {
    let done = 0;
    let after = 0;
    while (done < max && !shouldStop?.()) {
      const files = this.catalog.undated(after, Math.min(batch, max - done));
      if (files.length === 0) break;
      after = files.at(-1)!.fileId;
      await this.date(files);
      done += files.length;
    }
    return done;
  }

  /**
   * Dates those of these files that have none yet, now (what a decision about them needs to
   * know, e.g. which of similar images carries the camera's metadata); returns how many.
   */
  async dateNow(fileIds: number[], batch = 64): Promise<number> {
    const files = this.catalog.undatedAmong(fileIds);
    for (let i = 0; i < files.length; i += batch) await this.date(files.slice(i, i + batch));
    return files.length;
  }

  /** Finds and records the dates of one batch, in one transaction. */
  private async date(files: UndatedFile[]): Promise<void> {
    const found = await Promise.all(files.map((f) => this.dateOf(f)));
    this.ctx.cdb.write(() => {
      this.catalog.setDates(found);
      for (const f of found) if (f.overridden !== undefined) this.ctx.catalog.metadata.recordEmbedded(f.fileId, f.overridden);
      injectFault('dates-batch-tx');
    });
    injectFault('dates-batch');
  }

  /** The best date for one file; never throws for a bad file (it gets a stand-in date). */
  private async dateOf(f: UndatedFile): Promise<FoundDate> {
    const file = blobPath(this.ctx.paths.objects, f.hash);
    const video = f.mediaType.startsWith('video/');
    let facts: MediaFacts = { takenAt: null, source: null, camera: null, width: null, height: null };
    try {
      if (sharpReadsExif(f.mediaType)) facts = await this.ctx.pool.facts({ path: file });
    } catch (err) {
      this.ctx.log.debug('no metadata from sharp', { fileId: f.fileId, error: (err as Error).message });
    }
    if (facts.takenAt === null && (f.mediaType.startsWith('image/') || video)) {
      const more = await this.exiftool.read(file, video);
      facts = { ...more, camera: facts.camera ?? more.camera, width: facts.width ?? more.width, height: facts.height ?? more.height };
    }
    const base = { fileId: f.fileId, hash: f.hash, camera: facts.camera, width: facts.width, height: facts.height };
    // A sidecar's date outranks the file's own ([Note: Sidecar metadata]); what the file said is kept beside it.
    const sidecar = this.ctx.catalog.metadata.sidecarDate(f.fileId);
    if (sidecar) return { ...base, takenAt: sidecar.takenAt, source: sidecar.source, overridden: facts.takenAt };
    if (facts.takenAt !== null && facts.source) return { ...base, takenAt: facts.takenAt, source: facts.source };
    const named = dateFromFileName(f.name);
    if (named !== null) return { ...base, takenAt: named, source: 'filename' };
    if (f.modifiedAt !== null) return { ...base, takenAt: wallClockOf(f.modifiedAt), source: 'mtime' };
    return { ...base, takenAt: wallClockOf(f.createdAt), source: 'added' };
  }

  /** Waits for a running back-fill and ends ExifTool. */
  async close(): Promise<void> {
    await this.running?.catch((err: unknown) => this.ctx.log.warn('capture-date back-fill stopped', { error: (err as Error).message }));
    await this.exiftool.close();
  }
}
