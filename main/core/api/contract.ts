// [Note: One API contract]
// Every call and event between the renderer and the engine, as zod schemas. This module
// imports nothing but zod, so the preload and the renderer bundle it too: the same contract
// is checked in main (Electron IPC), in `shoebox serve` (WebSocket) and in the renderer
// (answers and events). Types are derived from the schemas, never written twice.
import { z } from 'zod';

const id = z.number().int().positive();
// A path from the window: absolute (a relative one would resolve against whatever folder the
// engine happens to run in), no NUL byte.
const path = z
  .string()
  .min(1, 'was left empty: type a folder\'s full path (like /home/you/Pictures)')
  .max(4096)
  .refine((p) => !p.startsWith('~'), 'starts with ~, which is not expanded here: type the full path (like /home/you/Pictures)')
  .refine((p) => p.startsWith('~') || /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'is not a full path: type it from the top, like /home/you/Pictures or C:\\Users\\you\\Pictures')
  .refine((p) => !p.includes('\0'), 'must not contain a NUL byte');
const ms = z.number();
const nullableMs = ms.nullable();
/** A date a person chose (Free up space's date filter): a whole number of ms within what a Date holds. */
const chosenDate = z.number().int('is not a whole number of milliseconds').min(-8.64e15, 'is beyond the dates a calendar holds').max(8.64e15, 'is beyond the dates a calendar holds');

const albumMode = z.enum(['single', 'separate']);

const watch = z.object({
  id, path: z.string(), mode: albumMode, poll: z.boolean(), paused: z.boolean(), addedAt: ms,
  state: z.enum(['stopped', 'scanning', 'watching', 'unavailable', 'failed']), message: z.string().nullable(),
  files: z.number(), bytes: z.number(), pending: z.number(), cutOff: z.number(),
});

const entry = z.object({ at: ms, code: z.string(), path: z.string().nullable(), message: z.string() });

const status = z.object({
  library: z.string(),
  files: z.number(), albums: z.number(), storedBytes: z.number(), trashed: z.number(), errors: z.number(),
  /** Live files whose stored bytes are known missing / damaged (issue #15). */
  missingBytes: z.number().optional(), damagedBytes: z.number().optional(),
  recentErrors: z.array(entry), recentActivity: z.array(entry),
  remotes: z.array(z.object({ url: z.string(), pushedBlobs: z.number(), pendingBlobs: z.number(), lastSnapshotAt: z.number().nullable(), lastError: z.string().nullable() })).optional(),
  undated: z.number().optional(),
  sync: z.object({
    state: z.enum(['idle', 'syncing', 'paused', 'error']), pausedReason: z.enum(['user', 'upload', 'fault']).nullable(), fault: z.string().nullable().optional(),
    queued: z.number(), done: z.number(), total: z.number(), current: z.string().nullable(), errors: z.number(),
    watches: z.array(watch),
  }).nullable(),
});

const album = z.object({
  id, name: z.string(), kind: z.enum(['user', 'uncategorized']), fileCount: z.number(), bytes: z.number(),
  /** The newest file (its thumbnail is the album's cover). */
  coverId: id.nullable(),
  /** Where the album's files came from: the parent folders of its source folders, to tell same-named albums apart. */
  folders: z.array(z.string()),
  createdAt: ms,
});
const fileItem = z.object({ fileId: id, name: z.string(), size: z.number(), mediaType: z.string(), width: z.number().nullable(), height: z.number().nullable(), takenAt: nullableMs });
/** Where a capture date came from (DESIGN §10). */
const dateSource = z.enum(['exif', 'quicktime', 'filename', 'mtime', 'added', 'takeout', 'xmp']);
/** A file on the timeline: `at` is its capture date (or the best stand-in, named by `dateSource`). */
const timelineItem = fileItem.extend({ at: ms, dateSource });
const metadataSource = z.enum(['takeout', 'xmp', 'embedded']);
/** What one source (a Takeout JSON, an XMP sidecar, the file's own bytes) said about a file. */
const metadataReading = z.object({
  source: metadataSource, sidecar: z.string().nullable(), takenAt: nullableMs, takenInstant: nullableMs,
  location: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().nullable() }).nullable(),
  description: z.string().nullable(), favorite: z.boolean().nullable(), rating: z.number().nullable(),
});
/** A file's metadata after precedence (DESIGN §12): each value with its source, and every source's reading. */
const resolvedMetadata = z.object({
  takenAt: z.object({ value: ms, source: dateSource, instant: nullableMs }).nullable(),
  location: z.object({ latitude: z.number(), longitude: z.number(), altitude: z.number().nullable(), source: metadataSource }).nullable(),
  description: z.object({ value: z.string(), source: metadataSource }).nullable(),
  favorite: z.object({ value: z.boolean(), source: metadataSource }).nullable(),
  rating: z.object({ value: z.number(), source: metadataSource }).nullable(),
  sources: z.array(metadataReading),
});
const fileInfo = z.object({
  fileId: id, name: z.string(), size: z.number(), mediaType: z.string(), width: z.number().nullable(), height: z.number().nullable(),
  at: ms, dateSource, camera: z.string().nullable(), addedAt: ms, trashed: z.boolean(),
  albums: z.array(z.object({ id, name: z.string() })),
  sourcePaths: z.array(z.string()),
  formerSources: z.array(z.object({ path: z.string(), why: z.enum(['earlier version', 'in Trash']) })),
  versions: z.array(z.object({ fileId: id, name: z.string(), size: z.number(), addedAt: ms, trashed: z.boolean(), current: z.boolean() })),
  livePart: z.object({ name: z.string(), size: z.number(), mediaType: z.string() }).nullable(),
  parts: z.array(z.object({ role: z.enum(['live', 'raw', 'xmp']), name: z.string(), size: z.number(), mediaType: z.string() })),
  storedBytes: z.enum(['ok', 'missing', 'damaged']),
  partVersions: z.array(z.object({ role: z.enum(['live', 'raw', 'xmp']), name: z.string(), size: z.number(), mediaType: z.string(), replacedAt: ms })),
  metadata: resolvedMetadata,
});
const albumName = z.string().trim().min(1, 'must not be empty').max(255).refine((n) => !/[\u0000-\u001f]/.test(n), 'must not contain control characters');
const fileIds = z.array(id).min(1).max(100_000);

const copy = z.object({
  fileId: id, name: z.string(), size: z.number(), mediaType: z.string(), width: z.number().nullable(), height: z.number().nullable(),
  takenAt: nullableMs, modifiedAt: nullableMs, createdAt: ms, albums: z.array(z.string()), sourcePath: z.string().nullable(),
});
const group = z.object({ id: z.string(), hash: z.string(), size: z.number(), copies: z.array(copy), keep: id, leftAlone: z.string().nullable() });
const selection = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), keep: id, fileIds: z.array(id).min(2).max(10_000) });
const groupResult = z.union([
  z.object({ hash: z.string(), status: z.literal('applied'), trashed: z.number(), albums: z.array(z.string()) }),
  z.object({ hash: z.string(), status: z.literal('skipped'), reason: z.string() }),
]);

const similarImage = z.object({ fileId: id, name: z.string(), size: z.number(), width: z.number().nullable(), height: z.number().nullable(), mediaType: z.string(), albums: z.array(z.string()), similarity: z.number() });
const similarGroup = z.object({
  id: z.string(), images: z.array(similarImage), keep: z.array(id),
  reference: id, keepReason: z.enum(['intact stored bytes', 'has camera metadata', 'sharper', 'better exposed', 'larger', 'older file', 'larger file', 'first']), preselected: z.boolean(),
});
const similarStatus = z.object({ defaultThreshold: z.number(), enabled: z.boolean(), modelId: z.string().nullable(), modelMessage: z.string().nullable(), indexed: z.number(), pending: z.number(), failed: z.number(), failedNames: z.array(z.object({ name: z.string().nullable(), message: z.string() })), missingBytes: z.number() });

const storage = z.object({
  storedBytes: z.number(), storedBlobs: z.number(), filesBytes: z.number(), files: z.number(),
  albums: z.array(z.object({ name: z.string(), files: z.number(), bytes: z.number() })),
  trash: z.object({ files: z.number(), bytes: z.number(), freedByPurge: z.number() }),
  duplicates: z.object({ groups: z.number(), extraCopies: z.number(), extraBytes: z.number() }),
  thumbnailsBytes: z.number(),
});

// logFile: where the desktop app's log is (null where the log goes to stderr: `shoebox serve`).
const prefs = z.object({ launchAtStartup: z.boolean(), startHidden: z.boolean(), notifications: z.boolean(), libraryDir: z.string(), logFile: z.string().nullable() });

const uploadSummary = z.object({
  filesTotal: z.number(), stored: z.number(), created: z.number(), linked: z.number(), skipped: z.number(), ignored: z.number(),
  vanished: z.number(), failed: z.number(), bytesAdded: z.number(), restored: z.number().optional(),
  failures: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })), interrupted: z.boolean(), durationMs: z.number(),
  unrecognised: z.object({ count: z.number(), paths: z.array(z.string()) }),
  import: z.object({
    sidecars: z.number(), matched: z.number(), withoutSidecar: z.number(), unmatchedSidecars: z.number(), rawPairs: z.number(), xmpSidecars: z.number(), livePhotos: z.number(),
    notes: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })), notesOmitted: z.number(),
  }).optional(),
});

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const remoteUrl = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'must look like s3://bucket/folder').max(1024);
const remoteStatus = z.object({
  url: z.string(), endpoint: z.string().nullable(), region: z.string().nullable(), addedAt: ms, lastSnapshotAt: nullableMs, lastError: z.string().nullable(),
  pushedBlobs: z.number(), pushedBytes: z.number(), pendingBlobs: z.number(), openUploads: z.number(), pendingDeletes: z.number(),
});
const pushSummary = z.object({ url: z.string(), blobs: z.number(), bytes: z.number(), deleted: z.number(), snapshot: z.string().nullable(), failed: z.array(z.object({ hash: z.string(), message: z.string() })) });

// Free up space (DESIGN §11, issue #20): a review verifies, the apply frees what the engine kept of
// the review (by id: the window never sends paths to delete).
const keptGroup = z.object({ reason: z.string(), text: z.string(), files: z.number(), bytes: z.number(), examples: z.array(z.object({ path: z.string(), detail: z.string().nullable() })) });
const freeUpReview = z.object({
  id: z.string(), createdAt: ms, roots: z.array(z.string()), fileRoots: z.array(z.string()), method: z.enum(['trash', 'delete']), requireOffsite: z.boolean(),
  qualifying: z.object({ files: z.number(), bytes: z.number() }), folders: z.array(z.object({ path: z.string(), files: z.number(), bytes: z.number() })),
  kept: z.array(keptGroup), excluded: z.number(), unreadable: z.array(z.object({ path: z.string(), reason: z.string() })), bytesRead: z.number(), durationMs: z.number(),
});
const freeUpResult = z.object({ method: z.enum(['trash', 'delete']), freed: z.number(), bytesFreed: z.number(), skipped: z.array(keptGroup), interrupted: z.boolean() });
/** A mounted drive with DCIM/ at its top ([Note: Camera cards]). */
const cameraCard = z.object({ path: z.string(), name: z.string() });
const freeUpProgress = z.object({ phase: z.enum(['scanning', 'verifying', 'freeing']), done: z.number(), total: z.number(), bytes: z.number() });

/** Every method: its params and its result. */
export const methods = {
  'status.get': { params: empty, result: status },
  'sync.setPaused': { params: z.object({ paused: z.boolean() }).strict(), result: ok },
  /** Forgets the listed problems (a file still in trouble is listed again at its next try). */
  'status.dismissErrors': { params: empty, result: z.object({ dismissed: z.number().int().nonnegative() }) },
  'watches.list': { params: empty, result: z.array(watch) },
  'watches.inspect': { params: z.object({ path }).strict(), result: z.object({ path: z.string(), hasSubfolders: z.boolean(), looksLikeNetworkDrive: z.boolean() }) },
  'watches.add': { params: z.object({ path, mode: albumMode.optional(), poll: z.boolean().optional() }).strict(), result: watch },
  'watches.remove': { params: z.object({ path }).strict(), result: ok },
  'watches.setPaused': { params: z.object({ path, paused: z.boolean() }).strict(), result: ok },
  'albums.list': { params: empty, result: z.array(album) },
  'files.list': { params: z.object({ albumId: id, offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }).strict(), result: z.object({ total: z.number(), items: z.array(fileItem) }) },
  'timeline.days': { params: empty, result: z.object({ total: z.number(), days: z.array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), count: z.number() })) }) },
  'timeline.page': { params: z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }).strict(), result: z.object({ total: z.number(), items: z.array(timelineItem) }) },
  'files.info': { params: z.object({ fileId: id }).strict(), result: fileInfo },
  'files.trash': { params: z.object({ fileIds }).strict(), result: z.object({ trashed: z.number() }) },
  'files.restoreVersion': { params: z.object({ fileId: id }).strict(), result: z.object({ albums: z.array(z.string()) }) },
  'files.export': { params: z.object({ fileIds, dest: path }).strict(), result: z.object({ dest: z.string(), files: z.number(), written: z.number(), skipped: z.number(), failed: z.array(z.object({ name: z.string(), message: z.string() })) }) },
  'albums.create': { params: z.object({ name: albumName }).strict(), result: album },
  'albums.rename': { params: z.object({ albumId: id, name: albumName }).strict(), result: album },
  'albums.addFiles': { params: z.object({ albumId: id, fileIds }).strict(), result: z.object({ added: z.number() }) },
  'albums.removeFiles': { params: z.object({ albumId: id, fileIds }).strict(), result: z.object({ removed: z.number() }) },
  'files.thumbnail': { params: z.object({ fileId: id }).strict(), result: z.union([z.object({ kind: z.literal('image'), dataUrl: z.string() }), z.object({ kind: z.literal('placeholder'), reason: z.enum(['video', 'undecodable']) })]) },
  'upload.paths': { params: z.object({ paths: z.array(path).min(1).max(1000), album: z.string().min(1).max(255).optional(), mode: albumMode.optional() }).strict(), result: uploadSummary },
  'upload.commitBatch': { params: z.object({ batchId: z.string().regex(/^[0-9a-f]{32}$/), mode: albumMode.optional() }).strict(), result: uploadSummary },
  'dedup.groups': { params: z.object({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }).strict(), result: z.object({ total: z.number(), groups: z.array(group) }) },
  'dedup.apply': { params: z.object({ selections: z.array(selection).min(1).max(100_000) }).strict(), result: z.object({ results: z.array(groupResult), storage }) },
  'similar.status': { params: empty, result: similarStatus },
  'similar.setIndexing': { params: z.object({ enabled: z.boolean() }).strict(), result: similarStatus },
  'similar.index': { params: z.object({ max: z.number().int().min(1).max(1_000_000).optional() }).strict(), result: similarStatus },
  'similar.groups': { params: z.object({ threshold: z.number().gt(0).max(1) }).strict(), result: z.object({ groups: z.array(similarGroup) }) },
  'similar.apply': { params: z.object({ selections: z.array(z.object({ keep: z.array(id).min(1), remove: z.array(id).min(1) }).strict()).min(1).max(100_000) }).strict(), result: z.object({ results: z.array(z.union([z.object({ status: z.literal('applied'), trashed: z.number(), albumsGiven: z.array(z.string()) }), z.object({ status: z.literal('skipped'), reason: z.string() })])), undoId: z.string() }) },
  'similar.latestUndo': { params: empty, result: z.object({ undo: z.object({ id: z.string(), appliedAt: ms, trashed: z.number() }).nullable() }) },
  'similar.undo': { params: z.object({ undoId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(), result: z.object({ restored: z.number(), gone: z.number(), membershipsRemoved: z.number(), membershipsKept: z.number() }) },
  'files.preview': { params: z.object({ fileId: id, maxSide: z.number().int().min(64).max(4096) }).strict(), result: z.object({ dataUrl: z.string(), width: z.number(), height: z.number() }) },
  'trash.list': { params: empty, result: z.array(z.object({ fileId: id, name: z.string(), size: z.number(), trashedAt: ms, albums: z.array(z.string()) })) },
  'trash.restore': { params: z.object({ fileIds: z.array(id).min(1).max(100_000) }).strict(), result: z.object({ restored: z.number() }) },
  'trash.empty': { params: empty, result: z.object({ files: z.number(), bytesFreed: z.number(), missingBlobs: z.array(z.string()) }) },
  'storage.get': { params: empty, result: storage },
  'prefs.get': { params: empty, result: prefs },
  'prefs.set': { params: z.object({ launchAtStartup: z.boolean().optional(), startHidden: z.boolean().optional(), notifications: z.boolean().optional() }).strict(), result: prefs },
  'ignored.reset': { params: empty, result: z.object({ reset: z.number(), restored: z.number() }) },
  'remotes.list': { params: empty, result: z.array(remoteStatus) },
  'remotes.add': {
    params: z.object({
      url: remoteUrl,
      endpoint: z.string().regex(/^https?:\/\/[^\s/]+(\/.*)?$/, 'must be an http(s):// address').max(1024).optional(),
      region: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a region name like eu-west-1').optional(),
      passphrase: z.string().min(8, 'must be at least 8 characters').max(1024),
      accessKeyId: z.string().min(1).max(256).optional(),
      secretAccessKey: z.string().min(1).max(1024).optional(),
    }).strict().refine((p) => (p.accessKeyId === undefined) === (p.secretAccessKey === undefined), 'give both access key fields, or neither'),
    result: z.object({ remote: remoteStatus, recoveryKey: z.string().nullable() }),
  },
  'remotes.push': { params: z.object({ url: remoteUrl }).strict(), result: pushSummary },
  'remotes.remove': { params: z.object({ url: remoteUrl }).strict(), result: ok },
  'freeUp.options': { params: empty, result: z.object({ trashLabel: z.string().nullable(), remotes: z.number(), freed: z.object({ files: z.number(), bytes: z.number() }) }) },
  'freeUp.review': {
    params: z.object({
      paths: z.array(path).max(100).optional(), olderThan: chosenDate.nullable().optional(), albums: z.array(albumName).max(100).optional(),
      requireOffsite: z.boolean().optional(), delete: z.boolean().optional(),
    }).strict(),
    result: freeUpReview,
  },
  'freeUp.apply': { params: z.object({ reviewId: z.string().regex(/^[0-9a-f]{16}$/) }).strict(), result: freeUpResult },
  'freeUp.cards': { params: empty, result: z.array(cameraCard) },
  'shell.capabilities': { params: empty, result: z.object({ shell: z.enum(['electron', 'browser']), nativeDialogs: z.boolean(), uploadUrl: z.string().nullable(), storesCredentials: z.boolean(), mediaBase: z.string().nullable() }) },
  'shell.openLog': { params: empty, result: ok },
  'shell.chooseFolder': { params: z.object({ purpose: z.enum(['watch', 'upload']) }).strict(), result: z.object({ paths: z.array(z.string()) }) },
} as const;

/** Events the engine pushes to the renderer. */
export const events = {
  status,
  dedupProgress: z.object({ done: z.number(), total: z.number() }),
  similarProgress: z.object({ indexed: z.number(), pending: z.number() }),
  freeUpProgress,
  /** A camera card (or phone) was plugged in: the window offers to back it up and free it. */
  cameraCard,
  /** A second launch asked to watch a folder (single instance forwards its arguments). */
  addWatchRequest: z.object({ path: z.string() }),
} as const;

/** A method name. */
export type MethodName = keyof typeof methods;
/** What a method takes. */
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** What a method returns. */
export type Result<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
/** An event name. */
export type EventName = keyof typeof events;
/** An event's data. */
export type EventData<E extends EventName> = z.output<(typeof events)[E]>;

/**
 * Error codes that cross the API: the engine's (ShoeboxErrorCode, including MALFORMED,
 * FORBIDDEN and TOO_LARGE from the transports) and the window's own (DISCONNECTED, BAD_RESPONSE).
 * Kept a string here so an older window understands a newer engine's new codes.
 */
export const apiError = z.object({ code: z.string(), userMessage: z.string() });
/** An error as the renderer sees it. */
export type ApiError = z.output<typeof apiError>;

/** A request from the renderer. */
export const request = z.object({ id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() }).strict();

/** What the engine sends back: an answer to a request, or an event. */
export const serverMessage = z.union([
  z.object({ id: z.number(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().nullable(), ok: z.literal(false), error: apiError }),
  z.object({ event: z.string(), data: z.unknown() }),
]);

/** The largest request the engine reads (bigger ones get a typed error). */
export const MAX_REQUEST_BYTES = 1 << 20;

/** True if the string names a method of the contract. */
export function isMethod(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** The view types the renderer works with. */
export type Status = z.output<typeof status>;
export type Watch = z.output<typeof watch>;
export type Album = z.output<typeof album>;
export type FileItem = z.output<typeof fileItem>;
export type DuplicateGroup = z.output<typeof group>;
export type Storage = z.output<typeof storage>;
export type Prefs = z.output<typeof prefs>;
export type UploadSummary = z.output<typeof uploadSummary>;
export type SimilarGroup = z.output<typeof similarGroup>;
export type SimilarStatus = z.output<typeof similarStatus>;
export type TimelineItem = z.output<typeof timelineItem>;
export type FileInfo = z.output<typeof fileInfo>;
export type DateSource = z.output<typeof dateSource>;
export type Capabilities = Result<'shell.capabilities'>;
export type FreeUpReview = z.output<typeof freeUpReview>;
export type FreeUpResult = z.output<typeof freeUpResult>;
export type CameraCard = z.output<typeof cameraCard>;
