import fs from 'node:fs/promises';
import path from 'node:path';
import type yauzl from 'yauzl';
import type { FileMetadata } from '../catalog/metadata-catalog.js';
import { fsPath } from '../media/raw-names.js';
import type { UploadItem } from '../upload/upload-item.js';
import { readEntry, type ZipEntryInfo } from '../upload/zip-source.js';
import { isSidecarName, planImport, type ImportReport, type PlanFile, type ReadSidecar } from './import-plan.js';
import { parseTakeoutJson } from './takeout-sidecar.js';
import { parseXmp } from './xmp-sidecar.js';

/** Where one file of an upload request is read from: a file on disk, or an entry of an open ZIP. */
export type RequestOrigin =
  | { kind: 'file'; item: UploadItem }
  | { kind: 'zip'; zip: yauzl.ZipFile; entry: yauzl.Entry; info: ZipEntryInfo };

/** One file of an upload request, with where to read it. */
export interface RequestFile extends PlanFile {
  origin: RequestOrigin;
  size: number;
}

/** A file the plan sends to the pipeline: what the upload item gets beyond its origin. */
export interface PlannedRequestFile {
  file: RequestFile;
  albumName: string | null;
  metadata: FileMetadata[];
  partOf?: UploadItem['partOf'];
  livePartOf?: string;
  mediaType?: string;
}

/** An upload request planned: main files, then parts (which need their main file committed first). */
export interface RequestPlan {
  mains: PlannedRequestFile[];
  parts: PlannedRequestFile[];
  report: ImportReport;
}

/** A sidecar larger than this is not read (Takeout's are ~1 KB; XMP with a long edit history ~100 KB). */
export const MAX_SIDECAR_BYTES = 4 << 20;
/** Sidecars read at a time. */
const READ_CONCURRENCY = 16;
/** What an XMP part is stored as (it is not sniffed: it is no photo). */
export const XMP_MEDIA_TYPE = 'application/rdf+xml';

/**
 * Reads every sidecar of the request (JSON and XMP, from disk or from their ZIPs, a few at a
 * time) and plans the upload with them ([Note: Bringing a library in]). A sidecar that can't be
 * read (a corrupt ZIP entry, permissions) is planned as unreadable, and reported by name.
 */
export async function planRequest(files: RequestFile[]): Promise<RequestPlan> {
  const read = new Map<number, ReadSidecar>();
  const todo = files.filter((f) => isSidecarName(f.name));
  let next = 0;
  const lane = async () => {
    while (next < todo.length) {
      const f = todo[next++]!;
      read.set(f.id, await readSidecar(f));
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, lane));
  const plan = planImport(files, read);
  const byId = new Map(files.map((f) => [f.id, f]));
  const mains: PlannedRequestFile[] = [];
  const parts: PlannedRequestFile[] = [];
  for (const p of plan.files) {
    const file = byId.get(p.id)!;
    const planned: PlannedRequestFile = { file, albumName: p.albumName, metadata: p.metadata };
    if (p.partOf) {
      planned.partOf = { sourcePath: byId.get(p.partOf.id)!.sourcePath, role: p.partOf.role };
      if (p.partOf.role === 'xmp') planned.mediaType = XMP_MEDIA_TYPE;
      parts.push(planned);
    } else if (p.livePartOf) {
      planned.livePartOf = byId.get(p.livePartOf.id)!.sourcePath;
      parts.push(planned);
    } else mains.push(planned);
  }
  return { mains, parts, report: plan.report };
}

function readSidecar(f: RequestFile): Promise<ReadSidecar> {
  const { origin } = f;
  const read = origin.kind === 'file' ? () => fs.readFile(fsPath(origin.item.readPath)) : () => readEntry(origin.zip, origin.entry, MAX_SIDECAR_BYTES);
  return readSidecarWith(f.name, f.sourcePath, f.size, read);
}

/** Reads and parses one sidecar file on disk (a watched folder's XMP): as an upload reads its sidecars. */
export function readSidecarFile(file: string, size: number): Promise<ReadSidecar> {
  return readSidecarWith(path.basename(file), file, size, () => fs.readFile(fsPath(file)));
}

async function readSidecarWith(name: string, sourcePath: string, size: number, read: () => Promise<Buffer>): Promise<ReadSidecar> {
  let bytes: Buffer;
  try {
    if (size > MAX_SIDECAR_BYTES) return { kind: 'unreadable', message: `is ${size} bytes, too large to be a sidecar` };
    bytes = await read();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { kind: 'unreadable', message: e.code ? `could not be read (${e.code})` : e.message, ...(e.code ? { code: e.code } : {}) };
  }
  const text = bytes.toString('utf8');
  return path.extname(name).toLowerCase() === '.xmp' ? { kind: 'xmp', xmp: parseXmp(text, sourcePath) } : { kind: 'json', json: parseTakeoutJson(text, sourcePath) };
}
