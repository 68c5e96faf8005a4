import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { ShoeboxError } from '../errors.js';
import type { MediaFile, MediaKind, MediaService } from './media-service.js';

/** An HTTP-style answer for a media request: status, headers and (for 200/206) the bytes. */
export interface MediaAnswer {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
  /** For an error answer: what to say. */
  message?: string;
}

/**
 * Parses a single `Range: bytes=…` header against a size: the byte span to send, 'unsatisfiable'
 * (416), or null to send everything (no header, or one we don't serve, like several ranges).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/** The media path this module answers: `<kind>/<fileId>` after the shell's prefix (a query is ignored). */
export function parseMediaPath(rest: string): { kind: MediaKind; fileId: number } | null {
  const m = /^(thumb|display|preview|original)\/([1-9][0-9]{0,15})$/.exec(rest);
  if (!m) return null;
  const fileId = Number(m[2]);
  return Number.isSafeInteger(fileId) ? { kind: m[1] as MediaKind, fileId } : null;
}

/**
 * Answers one media request (serve's /media/… and Electron's shoebox-media://…): the file by id,
 * with HTTP range requests (206 Partial Content) so videos stream and seek without being read
 * whole. Errors are answers too (404, 416), never thrown.
 */
export async function answerMedia(media: MediaService, rest: string, range: string | undefined, method = 'GET'): Promise<MediaAnswer> {
  const target = parseMediaPath(rest);
  if (!target) return text(404, 'No such media.');
  let file: MediaFile;
  try {
    file = await media.resolve(target.kind, target.fileId);
  } catch (err) {
    if (err instanceof ShoeboxError && err.code === 'NOT_FOUND') return text(404, err.userMessage);
    throw err;
  }
  const base = {
    'Content-Type': file.type,
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    // Derived images and originals never change for a file id (a file's bytes are immutable).
    'Cache-Control': 'private, max-age=31536000, immutable',
  };
  const r = parseRange(range, file.size);
  if (r === 'unsatisfiable') return { status: 416, headers: { ...base, 'Content-Range': `bytes */${file.size}` }, body: null };
  const span = r ?? { start: 0, end: file.size - 1 };
  const length = file.size === 0 ? 0 : span.end - span.start + 1;
  const headers = { ...base, 'Content-Length': String(length), ...(r ? { 'Content-Range': `bytes ${span.start}-${span.end}/${file.size}` } : {}) };
  const body = method === 'HEAD' || length === 0 ? null : fs.createReadStream(file.path, { start: span.start, end: span.end });
  return { status: r ? 206 : 200, headers, body };
}

function text(status: number, message: string): MediaAnswer {
  return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, body: null, message };
}
