import fs from 'node:fs/promises';
import path from 'node:path';
import type { EngineContext } from '../engine-context.js';
import { ShoeboxError, errorMessage, isErrno, libraryWriteError, toShoeboxError } from '../errors.js';
import type { AlbumMode } from '../upload/album-mapping.js';
import { folderRelation } from '../library/path-identity.js';
import { walkTree } from '../upload/source-scan.js';
import { checkFolderToWatch } from './watch-folder-check.js';
import type { UploadPipeline } from '../upload/upload-pipeline.js';
import { ChangeQueue, DEFAULT_TIMING, stillBeingWritten, type ChangeQueueTiming } from './change-queue.js';
import { watchFolder } from './folder-watcher.js';
import type { SyncGate } from './sync-gate.js';
import { diffWatch } from './watch-reconciler.js';
import type { WatchRow, WatchStore } from './watch-store.js';
import { WatchSync, type WatchOutcome } from './watch-sync.js';
import { fsPath } from '../media/raw-names.js';

/** How often status is pushed while files are being backed up. */
const PROGRESS_EVERY_MS = 500;

/** Where a watch is in its life. */
export type WatchState = 'stopped' | 'scanning' | 'watching' | 'unavailable' | 'failed';

/** A watch as shown to a person. */
export interface WatchInfo extends WatchRow {
  state: WatchState;
  message: string | null;
  files: number;
  bytes: number;
  pending: number;
  /** Of `pending`, files whose format says they are cut off: they wait up to a minute for the rest of their bytes, then are backed up as they are ([Note: A file still being written]). */
  cutOff: number;
}

/** Live sync progress, for status, the tray and the UI. */
export interface SyncStatus {
  state: 'idle' | 'syncing' | 'paused' | 'error';
  pausedReason: 'user' | 'upload' | 'fault' | null;
  /** Why syncing is held back after a library-wide failure (disk full, I/O error); retried on its own. */
  fault: string | null;
  /** Files waiting to settle or be processed. */
  queued: number;
  /** Files handled since the engine started (for "Backing up N of M"). */
  done: number;
  total: number;
  current: string | null;
  errors: number;
  watches: WatchInfo[];
}

/** Tuning of the watch service (tests shorten the timings). */
export interface WatchServiceOptions {
  timing?: ChangeQueueTiming;
  tickMs?: number;
  /** How often an unavailable folder is looked for. */
  availabilityPollMs?: number;
  pollIntervalMs?: number;
  /** The folder watcher (tests inject failures). */
  watchFolder?: typeof watchFolder;
}

interface Running {
  watch: WatchRow;
  state: WatchState;
  message: string | null;
  queue: ChangeQueue;
  watcher?: { close(): Promise<void> };
  nextAvailabilityCheck: number;
  /** The start-up reconciliation hit a library-wide failure and is to be retried. */
  needsReconcile: boolean;
}

/**
 * Watch folders (DESIGN §2): adding, listing and removing them, the initial and restart
 * reconciliation, and live sync — one chokidar watcher and one change queue per folder,
 * processed in batches through WatchSync while not paused.
 */
export class WatchService {
  private readonly sync: WatchSync;
  private readonly running = new Map<number, Running>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = true;
  private done = 0;
  private current: string | null = null;
  private lastReload = 0;
  /** The last "Reset ignored files" seen ([Note: Reset ignored files]). */
  private ignoredResets: string | undefined;
  private fault: { message: string; retryAt: number; backoffMs: number } | null = null;
  private startedAt = 0;
  private lastEmit = 0;
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private readonly opts: Required<Omit<WatchServiceOptions, 'watchFolder'>> & { watchFolder: typeof watchFolder };

  constructor(private readonly ctx: EngineContext, pipeline: UploadPipeline, private readonly store: WatchStore, private readonly gate: SyncGate, opts: WatchServiceOptions = {}) {
    this.sync = new WatchSync(ctx, pipeline);
    this.opts = {
      timing: opts.timing ?? DEFAULT_TIMING, tickMs: opts.tickMs ?? 100, availabilityPollMs: opts.availabilityPollMs ?? 5000,
      pollIntervalMs: opts.pollIntervalMs ?? 2000, watchFolder: opts.watchFolder ?? watchFolder,
    };
  }

  /** Checks a folder before it is added: it must exist, be a folder, not be (in) the library, not overlap a watch. Returns whether it has subfolders. */
  async inspect(folder: string): Promise<{ path: string; hasSubfolders: boolean }> {
    const checked = await checkFolderToWatch(folder, this.ctx.paths.root);
    const p = checked.path;
    for (const w of this.store.list()) {
      const rel = folderRelation(w.path, p);
      if (rel === 'same') throw new ShoeboxError('CONFLICT', w.path === p ? `${p} is already watched.` : `${p} is the same folder as ${w.path}, which is already watched.`);
      if (rel === 'inside') throw new ShoeboxError('CONFLICT', `${p} is inside ${w.path}, which is already watched; its files are already backed up.`);
      if (folderRelation(p, w.path)) throw new ShoeboxError('CONFLICT', `${p} contains ${w.path}, which is already watched. Stop watching that one first, then add ${p}.`, { hint: `(\`shoebox watch rm "${w.path}"\`)` });
    }
    return checked;
  }

  /** Adds a watch (DESIGN §2). A folder with subfolders needs a mode; one without is always single. */
  async add(folder: string, opts: { mode?: AlbumMode; poll?: boolean }): Promise<WatchRow> {
    const { path: p, hasSubfolders: nested } = await this.inspect(folder);
    if (nested && !opts.mode) {
      throw new ShoeboxError('INVALID_ARGUMENT', `${p} has subfolders: choose --mode single (one album "${path.basename(p)}") or --mode separate (one album per folder).`);
    }
    const st = await fs.stat(p);
    const watch = this.ctx.cdb.write(() => this.store.insert(p, opts.mode ?? 'single', opts.poll ?? false, Number(st.dev)));
    this.ctx.cdb.write(() => this.ctx.activity.record('info', 'WATCH_ADDED', `Watching ${p} (${watch.mode === 'single' ? 'one album' : 'one album per folder'}${watch.poll ? ', polling' : ''})`, p));
    if (!this.stopped) await this.startWatch(watch);
    return watch;
  }

  /** Stops watching a folder; its library files stay. */
  async remove(folder: string): Promise<WatchRow> {
    const p = path.resolve(folder);
    const watch = this.store.byPath(p);
    if (!watch) throw new ShoeboxError('NOT_FOUND', `${p} is not watched.`, { hint: '`shoebox watch ls` lists watched folders.' });
    await this.stopWatch(watch.id);
    this.ctx.cdb.write(() => {
      this.ctx.catalog.sources.release(watch.id);
      this.store.remove(watch.id);
      // Its files' problems are no longer Shoebox's to solve: they are not tried again.
      this.ctx.activity.clearErrors([p]);
      this.ctx.activity.clearErrorsUnder(p);
      this.ctx.activity.record('info', 'WATCH_REMOVED', `Stopped watching ${p}; its files stay in the library`, p);
    });
    return watch;
  }

  /** Pauses or resumes one watched folder (DESIGN §2: events stay queued while paused). */
  setPaused(folder: string, paused: boolean): WatchRow {
    const p = path.resolve(folder);
    const watch = this.store.byPath(p);
    if (!watch) throw new ShoeboxError('NOT_FOUND', `${p} is not watched.`, { hint: '`shoebox watch ls` lists watched folders.' });
    this.ctx.cdb.write(() => this.store.setPaused(watch.id, paused));
    const r = this.running.get(watch.id);
    if (r) r.watch = { ...r.watch, paused };
    this.emit();
    return { ...watch, paused };
  }

  /** Every watch with its state and counts. */
  list(): WatchInfo[] {
    return this.store.list().map((w) => {
      const r = this.running.get(w.id);
      return { ...w, paused: r?.watch.paused ?? w.paused, state: r?.state ?? 'stopped', message: r?.message ?? null, pending: r?.queue.size ?? 0, cutOff: r?.queue.cutOff() ?? 0, ...this.ctx.catalog.sources.totals(w.id) };
    });
  }

  /**
   * Reconciles one watch with its folder now (initial sync, or catch-up after a restart). With
   * `live`, the running watch's change queue, a file still being written waits there (see
   * stillBeingWritten).
   */
  async reconcile(watch: WatchRow, onOutcome?: (p: string, o: WatchOutcome) => void, signal?: AbortSignal, live?: ChangeQueue): Promise<{ unchanged: number; upserts: number; deletes: number; unreadable: string[] }> {
    const diff = await diffWatch(this.ctx, watch);
    // Folders it could not read before and read now: their "cannot be read" errors go.
    const still = new Set(diff.unreadable);
    const readAgain = this.ctx.activity.unreadableUnder(watch.path).filter((p) => !still.has(p));
    const dirs = (await Promise.all(readAgain.map(async (p) => ((await fs.stat(fsPath(p)).catch(() => null))?.isDirectory() ? [p] : [])))).flat();
    if (dirs.length > 0) this.ctx.cdb.write(() => this.ctx.activity.clearErrors(dirs));
    for (const dir of diff.unreadable) {
      this.ctx.cdb.write(() => this.ctx.activity.record('error', 'SOURCE_UNREADABLE', `${dir} in ${watch.path} cannot be read; its files are not backed up and not treated as deleted`, dir));
    }
    let { upserts, deletes } = diff;
    const held = live ? await stillBeingWritten(upserts, this.opts.timing) : new Set<string>();
    if (held.size > 0) {
      upserts = upserts.filter((u) => !held.has(u.path));
      for (const p of held) live!.noteUpsert(p);
      // A file held back may be a deleted one's new name: the deletions wait in the queue too,
      // as live ones do, so the two are still seen as a move.
      for (const d of deletes) live!.noteDelete(d);
      deletes = [];
    }
    await this.sync.applyBatch(watch, upserts, deletes, (p, o) => this.outcome(p, o, onOutcome), signal);
    this.current = null;
    return { unchanged: diff.unchanged, upserts: diff.upserts.length, deletes: diff.deletes.length, unreadable: diff.unreadable };
  }

  /** Starts every watch: watcher first (so nothing is missed), then reconciliation, then live sync. */
  async start(): Promise<void> {
    this.stopped = false;
    this.startedAt = this.ctx.now();
    this.ignoredResets = this.store.ignoredResets(); // each watch catches up as it starts anyway
    for (const w of this.store.list()) await this.startWatch(w);
    this.schedule();
  }

  /** Stops watchers and live processing; the batch in progress finishes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    for (const id of [...this.running.keys()]) await this.stopWatch(id);
  }

  /** Subscribes to status changes; returns the unsubscribe function. */
  onStatus(fn: (s: SyncStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Current sync status. */
  status(): SyncStatus {
    const watches = this.list();
    const queued = watches.reduce((n, w) => n + w.pending, 0);
    const pausedReason = this.gate.pausedReason() ?? (this.fault ? 'fault' : null);
    const errors = this.ctx.activity.errorCount(this.startedAt); // problems of this run, not of every run before
    const waiting = watches.filter((w) => !w.paused).reduce((n, w) => n + w.pending, 0);
    const state = pausedReason ? 'paused' : waiting > 0 || this.current ? 'syncing' : errors > 0 || watches.some((w) => w.state === 'failed') ? 'error' : 'idle';
    return { state, pausedReason, fault: this.fault?.message ?? null, queued, done: this.done, total: this.done + queued, current: this.current, errors, watches };
  }

  private async startWatch(watch: WatchRow): Promise<void> {
    const r: Running = { watch, state: 'scanning', message: null, queue: new ChangeQueue(this.opts.timing, this.ctx.now), nextAvailabilityCheck: 0, needsReconcile: false };
    this.running.set(watch.id, r);
    if (!(await this.available(watch))) return this.markUnavailable(r);
    try {
      r.watcher = await this.opts.watchFolder(watch.path, { poll: watch.poll, pollIntervalMs: this.opts.pollIntervalMs, skipDir: this.ctx.paths.root, unreadableRetryMs: this.opts.availabilityPollMs }, {
        upsert: (p) => r.queue.noteUpsert(p),
        delete: (p) => r.queue.noteDelete(p),
        deleteDir: (d) => { for (const rec of this.ctx.catalog.sources.under(watch.id, d)) r.queue.noteDelete(rec.path); },
        newDir: (d) => this.scanNewDir(r, d),
        failed: (err) => this.markFailed(r, err.userMessage),
      });
    } catch (err) {
      this.markFailed(r, errorMessage(err));
      this.emit();
      return;
    }
    if (r.state === 'scanning') r.state = 'watching';
    // Paused (this folder, or all syncing, by the person or for an upload): the catch-up waits
    // like any change, and runs once syncing resumes (tick).
    if (r.watch.paused || this.gate.pausedReason()) r.needsReconcile = true;
    else await this.tryReconcile(r);
    this.emit();
  }

  /** Reconciles a running watch; a library-wide failure holds syncing back and is retried (DESIGN §8). */
  private async tryReconcile(r: Running): Promise<void> {
    try {
      await this.reconcile(r.watch, undefined, undefined, r.queue);
      r.needsReconcile = false;
      this.clearFault();
    } catch (err) {
      r.needsReconcile = true;
      this.noteFault(err);
    }
  }

  private clearFault(): void {
    if (this.fault) this.ctx.log.info('the library is writable again; syncing resumed');
    this.fault = null;
  }

  /**
   * A failure the files themselves didn't cause (disk full, an I/O error in the library): syncing
   * holds off and retries with a growing pause; what was being processed stays queued.
   */
  private noteFault(err: unknown): void {
    this.ctx.dirty = true;
    const e = toShoeboxError(err);
    const message = e.code === 'INTERNAL' ? libraryWriteError(err, this.ctx.paths.root).userMessage : e.userMessage;
    const backoffMs = Math.min(60_000, (this.fault?.backoffMs ?? 500) * 2);
    if (!this.fault && e.code !== 'LIBRARY_MOVED') { // that one stops the engine, which says so itself
      try {
        this.ctx.cdb.write(() => this.ctx.activity.record('error', e.code, `${message} Syncing is paused and retries on its own.`));
      } catch (recordErr) {
        this.ctx.log.warn('could not record the error either', { error: (recordErr as Error).message });
      }
    }
    this.fault = { message, retryAt: this.ctx.now() + backoffMs, backoffMs };
    this.ctx.log.warn('syncing paused by a library error', { code: e.code, retryInMs: backoffMs, error: (err as Error).message });
  }

  /** Queues every file of a folder that appeared while watching (copied or moved in). */
  private scanNewDir(r: Running, dir: string): void {
    const scan = async () => {
      const unreadable = (p: { path: string; code: string }) =>
        this.ctx.cdb.write(() => this.ctx.activity.record('error', 'SOURCE_UNREADABLE', `${p.path} cannot be read (${p.code}); it is not backed up`, p.path));
      // A folder that could not be read before and can now ([Note: A folder readable again]): its problem is over.
      this.ctx.cdb.write(() => this.ctx.activity.clearErrors([dir]));
      for await (const f of walkTree(dir, unreadable, this.ctx.paths.root)) r.queue.noteUpsert(f.path);
    };
    scan().catch((err: unknown) => this.ctx.log.warn('scanning a new folder failed', { dir, error: (err as Error).message }));
  }

  private async stopWatch(id: number): Promise<void> {
    const r = this.running.get(id);
    this.running.delete(id);
    await r?.watcher?.close();
  }

  private markUnavailable(r: Running): void {
    const dropped = r.queue.dropDeletes();
    r.state = 'unavailable';
    r.message = `${r.watch.path} is not available (unplugged drive or unmounted share?). Its files are not treated as deleted; syncing resumes when it is back.`;
    r.nextAvailabilityCheck = this.ctx.now() + this.opts.availabilityPollMs;
    this.ctx.log.warn('watch folder unavailable', { path: r.watch.path, droppedDeletes: dropped });
    this.closeWatcher(r);
    this.emit();
  }

  private markFailed(r: Running, message: string): void {
    r.state = 'failed';
    r.message = message;
    this.ctx.cdb.write(() => this.ctx.activity.record('error', 'WATCH_FAILED', message, r.watch.path));
    this.closeWatcher(r);
    this.emit();
  }

  private closeWatcher(r: Running): void {
    r.watcher?.close().catch((err: unknown) => this.ctx.log.warn('closing a watcher failed', { path: r.watch.path, error: (err as Error).message }));
    delete r.watcher;
  }

  /** The folder exists, is a folder, and is on the device it was added on (a bare mount point isn't). */
  private async available(watch: WatchRow): Promise<boolean> {
    try {
      const st = await fs.stat(watch.path);
      if (!st.isDirectory()) return false;
      if (watch.rootDev === null) this.ctx.cdb.write(() => this.store.setRootDev(watch.id, Number(st.dev)));
      return watch.rootDev === null || watch.rootDev === Number(st.dev);
    } catch (err) {
      if (isErrno(err, 'ENOENT', 'ENOTDIR', 'EACCES', 'EIO', 'ENODEV', 'ESTALE')) return false;
      throw err;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().catch((err: unknown) => this.ctx.log.error('watch processing failed', { error: (err as Error).message })).finally(() => {
        this.ticking = undefined;
        this.schedule();
      });
    }, this.opts.tickMs);
  }

  /** One round of live processing. Paused: events stay queued. */
  private async tick(): Promise<void> {
    await this.reloadIfChanged();
    const now = this.ctx.now();
    for (const r of this.running.values()) {
      if (r.state === 'unavailable' && now >= r.nextAvailabilityCheck) {
        r.nextAvailabilityCheck = now + this.opts.availabilityPollMs;
        if (await this.available(r.watch)) await this.startWatch(r.watch);
        continue;
      }
      if (r.state !== 'watching' || r.watch.paused || this.gate.pausedReason()) continue;
      if (this.fault && now < this.fault.retryAt) continue;
      if (r.needsReconcile) {
        await this.tryReconcile(r);
        continue;
      }
      if (r.queue.size === 0) continue;
      const { upserts, deletes } = await r.queue.takeReady();
      if (upserts.length === 0 && deletes.length === 0) continue;
      if (deletes.length > 0 && !(await this.available(r.watch))) {
        this.markUnavailable(r);
        continue;
      }
      try {
        await this.sync.applyBatch(r.watch, upserts, deletes, (p, o) => this.outcome(p, o));
        this.clearFault();
      } catch (err) {
        // Nothing of this batch is lost: it goes back in the queue.
        for (const u of upserts) r.queue.noteUpsert(u.path);
        for (const d of deletes) r.queue.noteDelete(d);
        this.noteFault(err);
      }
      this.current = null;
      this.emit();
    }
  }

  /** Picks up watches added or removed by another process (e.g. `shoebox watch add` while `run` runs). */
  private async reloadIfChanged(): Promise<void> {
    const now = this.ctx.now();
    if (now - this.lastReload < 1000) return;
    this.lastReload = now;
    const rows = this.store.list();
    const resets = this.store.ignoredResets();
    if (resets !== this.ignoredResets) {
      // sources deleted from the library may be backed up again: every watch catches up
      for (const r of this.running.values()) r.needsReconcile = true;
      this.ignoredResets = resets;
    }
    for (const w of rows) {
      const r = this.running.get(w.id);
      if (!r) await this.startWatch(w);
      else if (r.watch.paused !== w.paused) r.watch = { ...r.watch, paused: w.paused }; // paused from another process
    }
    for (const id of [...this.running.keys()]) if (!rows.some((w) => w.id === id)) await this.stopWatch(id);
  }

  private outcome(p: string, o: WatchOutcome, extra?: (p: string, o: WatchOutcome) => void): void {
    if (o.status !== 'unchanged') this.done++;
    this.current = p;
    extra?.(p, o);
    // Progress while a long batch (a burst of thousands of files) is under way, not only at its end.
    if (this.ctx.now() - this.lastEmit >= PROGRESS_EVERY_MS) this.emit();
  }

  private emit(): void {
    this.lastEmit = this.ctx.now();
    if (this.listeners.size === 0) return;
    const s = this.status();
    for (const fn of this.listeners) fn(s);
  }
}
