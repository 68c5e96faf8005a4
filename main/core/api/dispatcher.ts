import fs from 'node:fs/promises';
import type { Engine } from '../engine.js';
import { ShoeboxError, toShoeboxError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { StoredPrefs } from '../prefs/prefs-store.js';
import { looksLikeNetworkDrive } from '../watch/network-drive.js';
import { findCameraCards, mountRoots, watchCameraCards } from '../free-up/camera-cards.js';
import { MAX_REQUEST_BYTES, isMethod, methods, request, type ApiError, type EventData, type EventName, type MethodName, type Params, type Result } from './contract.js';

/** What a shell (Electron main or `shoebox serve`) provides to the API. */
export interface ShellAdapter {
  shell: 'electron' | 'browser';
  nativeDialogs: boolean;
  /** Where the browser POSTs files for an upload (serve only). */
  uploadUrl: string | null;
  /** The folder holding a browser upload batch's files (serve only). */
  uploadBatchDir?: (batchId: string) => string;
  prefs: { get(): StoredPrefs; set(changes: Partial<StoredPrefs>): StoredPrefs };
  /** Applies launch-at-startup to the OS (login items, XDG autostart). */
  applyLaunchAtStartup(enabled: boolean, startHidden: boolean): void;
  /** Where the window fetches media (`/media/` in serve, `shoebox-media://media/` in Electron); absent: no media. */
  mediaBase?: string;
  /** True where the engine was given a keychain-backed credential store (the desktop app). */
  storesCredentials?: boolean;
  /** The desktop app's log file (absent where the log goes to stderr). */
  logFile?: string;
  /** Opens the log file with the system's viewer (Electron). */
  openLog?: () => Promise<void>;
  /** Native folder/file dialog (Electron); absent where there is none. */
  chooseFolder?: (purpose: 'watch' | 'upload') => Promise<string[]>;
}

/** A reply to one request, as sent over IPC or the WebSocket. */
export type Reply = { id: number; ok: true; result: unknown } | { id: number | null; ok: false; error: ApiError };

type Handlers = { [M in MethodName]: (p: Params<M>) => Promise<Result<M>> | Result<M> };

/**
 * The one dispatcher behind both transports: parses the params of every call with the
 * contract's schema and calls the engine. A malformed call gets a typed error, never a crash.
 */
export class ApiDispatcher {
  private readonly handlers: Handlers;
  private readonly listeners = new Set<(event: EventName, data: unknown) => void>();

  constructor(private readonly engine: Engine, private readonly shell: ShellAdapter, private readonly log: Logger) {
    this.handlers = this.makeHandlers();
  }

  /** Subscribes to engine events (status, dedup progress); returns the unsubscribe function. */
  onEvent(fn: (event: EventName, data: unknown) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Sends an event to every subscriber. */
  emit<E extends EventName>(event: E, data: EventData<E>): void {
    for (const fn of this.listeners) fn(event, data);
  }

  /**
   * Pushes a `status` event whenever the status changes: on watch-service changes and at most
   * every `intervalMs` otherwise (totals change as files are backed up). Returns the stop function.
   */
  startStatusEvents(intervalMs = 500): () => void {
    let last = '';
    let pending: NodeJS.Timeout | undefined;
    let stopped = false;
    const push = () => {
      pending = undefined;
      if (stopped) return; // a push scheduled just before stop must not read a closed library
      const s = this.engine.status();
      const json = JSON.stringify(s);
      if (json === last) return;
      last = json;
      this.emit('status', s);
    };
    const soon = () => {
      if (pending || stopped) return;
      pending = setTimeout(push, 100);
    };
    const off = this.engine.watches.onStatus(soon);
    const timer = setInterval(push, intervalMs);
    return () => {
      stopped = true;
      off();
      clearInterval(timer);
      clearTimeout(pending);
    };
  }

  /** An emitter of progress events at most every 100 ms (the last one of a burst is not lost: done === total always goes out). */
  private throttled<E extends 'freeUpProgress'>(event: E): (data: EventData<E>) => void {
    let last = 0;
    return (data) => {
      const now = Date.now();
      if (now - last < 100 && data.done !== data.total) return;
      last = now;
      this.emit(event, data);
    };
  }

  /** Pushes a `cameraCard` event when a camera card is plugged in ([Note: Camera cards]). Returns the stop function. */
  startCameraCardEvents(intervalMs?: number): () => void {
    return watchCameraCards((card) => this.emit('cameraCard', card), {
      ...(intervalMs ? { intervalMs } : {}),
      onError: (err) => this.log.warn('looking for camera cards failed', { error: (err as Error).message }),
    });
  }

  /** Calls a method by name with untrusted params. */
  async call(method: string, params: unknown): Promise<unknown> {
    if (!isMethod(method)) throw new ShoeboxError('INVALID_ARGUMENT', `Unknown method "${method.slice(0, 100)}".`);
    const parsed = methods[method].params.safeParse(params ?? {});
    if (!parsed.success) throw new ShoeboxError('INVALID_ARGUMENT', invalidMessage(params, parsed.error.issues[0]));
    const handler = this.handlers[method] as (p: unknown) => unknown;
    return await handler(parsed.data);
  }

  /** Handles one raw request (a WebSocket text frame): every failure becomes a typed error reply. */
  async handleRaw(raw: string | Buffer): Promise<Reply> {
    const size = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
    if (size > MAX_REQUEST_BYTES) return { id: null, ok: false, error: { code: 'TOO_LARGE', userMessage: `Request of ${size} bytes refused (limit ${MAX_REQUEST_BYTES}).` } };
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch {
      return { id: null, ok: false, error: { code: 'MALFORMED', userMessage: 'Request is not valid JSON.' } };
    }
    const req = request.safeParse(json);
    if (!req.success) return { id: typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null, ok: false, error: { code: 'MALFORMED', userMessage: 'Request must be {id, method, params}.' } };
    return this.reply(req.data.id, req.data.method, req.data.params);
  }

  /** Calls and wraps the outcome as a reply (IPC uses this directly). */
  async reply(id: number, method: string, params: unknown): Promise<Reply> {
    try {
      return { id, ok: true, result: await this.call(method, params) };
    } catch (err) {
      const e = toShoeboxError(err);
      if (e.code === 'INTERNAL') this.log.error('API call failed', { method, error: (err as Error)?.stack ?? String(err) });
      return { id, ok: false, error: e.toJSON() };
    }
  }

  private makeHandlers(): Handlers {
    const e = this.engine;
    const prefs = (): Result<'prefs.get'> => ({ ...this.shell.prefs.get(), libraryDir: e.paths.root, logFile: this.shell.logFile ?? null });
    return {
      'status.get': () => e.status(),
      'sync.setPaused': ({ paused }) => (e.gate.setUserPaused(paused), { ok: true as const }),
      'status.dismissErrors': () => ({ dismissed: e.dismissErrors() }),
      'watches.list': () => e.watches.list(),
      'watches.inspect': async ({ path }) => ({ ...(await e.watches.inspect(path)), looksLikeNetworkDrive: looksLikeNetworkDrive(path) }),
      'watches.add': async ({ path, mode, poll }) => {
        const { watch } = await e.addWatch(path, { ...(mode ? { mode } : {}), poll: poll ?? false });
        return e.watches.list().find((w) => w.id === watch.id)!;
      },
      'watches.remove': async ({ path }) => (await e.watches.remove(path), { ok: true as const }),
      'watches.setPaused': ({ path, paused }) => (e.watches.setPaused(path, paused), { ok: true as const }),
      'albums.list': () => e.photos.albums(),
      'albums.create': ({ name }) => e.photos.createAlbum(name),
      'albums.rename': ({ albumId, name }) => e.photos.renameAlbum(albumId, name),
      'albums.addFiles': ({ albumId, fileIds }) => ({ added: e.photos.addFiles(albumId, fileIds) }),
      'albums.removeFiles': ({ albumId, fileIds }) => ({ removed: e.photos.removeFiles(albumId, fileIds) }),
      'timeline.days': () => e.photos.days(),
      'timeline.page': ({ offset, limit }) => e.photos.page(offset, limit),
      'files.info': ({ fileId }) => e.photos.info(fileId),
      'files.trash': ({ fileIds }) => ({ trashed: e.photos.trash(fileIds) }),
      'files.restoreVersion': ({ fileId }) => e.restoreVersion(fileId),
      'files.export': async ({ fileIds, dest }) => {
        const r = await e.export({ albums: [], all: false, dest, layout: 'flat', includeTrash: false, fileIds });
        return { dest: r.dest, files: r.files, written: r.written + r.linked, skipped: r.skipped, failed: r.failed.map((f) => ({ name: f.name, message: f.message })) };
      },
      'files.list': ({ albumId, offset, limit }) => e.albumPage(albumId, offset, limit),
      'files.thumbnail': async ({ fileId }) => {
        const t = await e.thumbnail(fileId);
        if (t.kind === 'placeholder') return t;
        return { kind: 'image' as const, dataUrl: `data:image/webp;base64,${(await fs.readFile(t.path)).toString('base64')}` };
      },
      'files.preview': async ({ fileId, maxSide }) => {
        const p = await e.thumbnails.preview(fileId, maxSide);
        return { dataUrl: `data:image/webp;base64,${Buffer.from(p.webp).toString('base64')}`, width: p.width, height: p.height };
      },
      'upload.paths': ({ paths, album, mode }) => e.upload({ paths, ...(album ? { album } : {}), ...(mode ? { mode } : {}) }),
      'upload.commitBatch': async ({ batchId, mode }) => {
        if (!this.shell.uploadBatchDir) throw new ShoeboxError('INVALID_ARGUMENT', 'This window uploads by path, not by batch.');
        const dir = this.shell.uploadBatchDir(batchId);
        const entries = await fs.readdir(dir).catch(() => {
          throw new ShoeboxError('NOT_FOUND', 'That upload batch has no files (it was committed already, or nothing was sent).');
        });
        try {
          return await e.upload({ paths: entries.map((n) => `${dir}/${n}`), ...(mode ? { mode } : {}) });
        } finally {
          await fs.rm(dir, { recursive: true, force: true });
          e.forgetStagedUpload(dir);
        }
      },
      'dedup.groups': ({ offset, limit }) => ({ total: e.dedup.countGroups(), groups: e.dedup.listGroups({ offset, limit }) }),
      'dedup.apply': ({ selections }) => {
        const results = e.applyDedup(selections, (done, total) => {
          if (done % 50 === 0 || done === total) this.emit('dedupProgress', { done, total });
        });
        return { results, storage: e.storage() };
      },
      'similar.status': () => e.similar.status(),
      'similar.setIndexing': ({ enabled }) => (e.similar.setEnabled(enabled), e.similar.status()),
      'similar.index': async ({ max }) => {
        const before = e.similar.status();
        await e.similar.index({ ...(max ? { max } : {}), onProgress: (done) => this.emit('similarProgress', { indexed: before.indexed + done, pending: Math.max(0, before.pending - done) }) });
        return e.similar.status();
      },
      'similar.groups': async ({ threshold }) => ({ groups: await e.similar.groups(threshold) }),
      'similar.apply': async ({ selections }) => {
        const undoId = e.similar.beginApply();
        const results = [];
        for (const s of selections) results.push(await e.similar.apply(s, undoId));
        return { results, undoId };
      },
      'similar.latestUndo': () => ({ undo: e.similar.latestUndo() ?? null }),
      'similar.undo': ({ undoId }) => e.similar.undo(undoId),
      'trash.list': () => e.trash.list(),
      'trash.restore': ({ fileIds }) => ({ restored: e.trash.restore(fileIds) }),
      'trash.empty': async () => {
        if (e.trash.list().length > 0) await e.snapshotCatalog('before-empty-trash'); // [Note: Catalog snapshots]
        const r = e.purgeTrash({ all: true });
        return { files: r.files, bytesFreed: r.bytesFreed, missingBlobs: r.missingBlobs };
      },
      'storage.get': () => e.storage(),
      'prefs.get': prefs,
      'prefs.set': (changes) => {
        const next = this.shell.prefs.set(changes);
        if (changes.launchAtStartup !== undefined || (changes.startHidden !== undefined && next.launchAtStartup)) {
          this.shell.applyLaunchAtStartup(next.launchAtStartup, next.startHidden);
        }
        return prefs();
      },
      'ignored.reset': () => e.resetIgnored(),
      'freeUp.options': () => ({ trashLabel: e.freeUp.trashLabel, remotes: e.remotes.list().length, freed: e.freeUp.freedTotals() }),
      'freeUp.review': ({ paths, olderThan, albums, requireOffsite, delete: del }) =>
        e.freeUp.review({ ...(paths ? { paths } : {}), ...(olderThan != null ? { olderThan } : {}), ...(albums ? { albums } : {}), ...(requireOffsite !== undefined ? { requireOffsite } : {}), ...(del ? { delete: true } : {}) }, { onProgress: this.throttled('freeUpProgress') }),
      'freeUp.apply': ({ reviewId }) => e.freeUp.apply(reviewId, { onProgress: this.throttled('freeUpProgress') }),
      'freeUp.cards': () => findCameraCards(mountRoots()),
      'shell.capabilities': () => ({ shell: this.shell.shell, nativeDialogs: this.shell.nativeDialogs, uploadUrl: this.shell.uploadUrl, storesCredentials: this.shell.storesCredentials ?? false, mediaBase: this.shell.mediaBase ?? null }),
      'remotes.list': () => e.remotes.status(),
      'remotes.add': async ({ url, endpoint, region, passphrase, accessKeyId, secretAccessKey }) => {
        const r = await e.remotes.add(url, { passphrase, ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}) });
        return { remote: e.remotes.status().find((x) => x.id === r.remote.id)!, recoveryKey: r.recoveryKey };
      },
      'remotes.push': ({ url }) => e.remotes.push(url),
      'remotes.remove': async ({ url }) => (await e.remotes.remove(url), { ok: true as const }),
      'shell.openLog': async () => {
        if (!this.shell.openLog) throw new ShoeboxError('INVALID_ARGUMENT', 'Here the log goes to the terminal that runs `shoebox serve`; there is no log file to open.');
        await this.shell.openLog();
        return { ok: true as const };
      },
      'shell.chooseFolder': async ({ purpose }) => {
        if (!this.shell.chooseFolder) throw new ShoeboxError('INVALID_ARGUMENT', 'There is no native dialog here: type the path instead.');
        return { paths: await this.shell.chooseFolder(purpose) };
      },
    };
  }
}

/**
 * The message for a call whose params don't fit the contract, in the window's words: the value a
 * person typed and what is wrong with it ("\"~/Pictures\" starts with ~, …"), or the field by
 * the name a person knows it by ("The folder was left empty: …"), never the method name, an
 * internal field name ("paths.0", "albumId") or a secret.
 */
export function invalidMessage(params: unknown, issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'That request was not understood.';
  let value: unknown = params;
  for (const k of issue.path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[k] : undefined;
  const name = [...issue.path].reverse().find((k): k is string => typeof k === 'string');
  const label = name === undefined ? null : (FIELD_WORDS[name] ?? words(name));
  // Our own messages read on from the value ("is not a full path: …"); zod's are sentences.
  // Secrets are never repeated back.
  const secret = name !== undefined && /pass|secret|key|token/i.test(name);
  const ours = /^[a-z]/.test(issue.message);
  if (ours && typeof value === 'string' && value.length > 0 && value.length <= 300 && !secret) return `"${value}" ${issue.message}.`;
  if (ours && label) return `The ${label} ${issue.message.replace(/\.$/, '')}.`;
  return `${label ? `The ${label} given` : 'That request'} was refused: ${issue.message.replace(/\.$/, '')}.`;
}

/** Fields of the contract by the names people know them by (others: their name in words, "Id" dropped). */
const FIELD_WORDS: Record<string, string> = {
  path: 'folder', paths: 'folder', dest: 'destination folder', olderThan: 'date', albums: 'album name', album: 'album name',
  url: 'offsite address', endpoint: 'endpoint address', fileIds: 'files', maxSide: 'size',
};

/** `reviewId` → "review", `secretAccessKey` → "secret access key". */
function words(field: string): string {
  return field.replace(/Ids?$/, '').replace(/[A-Z]/g, (ch) => ` ${ch.toLowerCase()}`).trim();
}
