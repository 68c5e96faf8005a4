import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { blobPath } from '../../main/core/blobs/blob-store.js';
import { Engine } from '../../main/core/engine.js';

/** 32 small JPEGs of different colours, each to be made unique by a comment segment. */
async function baseJpegs(): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: 32 }, (_, i) =>
    sharp({ create: { width: 96, height: 72, channels: 3, background: { r: (i * 53) % 256, g: (i * 97) % 256, b: (i * 151) % 256 } } }).jpeg({ quality: 60 }).toBuffer()));
}

/** A valid JPEG unlike any other: a base image with `tag` in a comment segment after SOI. */
function uniqueJpeg(base: Buffer, tag: string): Buffer {
  const text = Buffer.from(tag);
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([base.subarray(0, 2), com, text, base.subarray(2)]);
}

/**
 * Builds a catalog-only library for scale tests: `files` live files spread over `albums` albums,
 * the first `groups` contents having two copies (different names). Written straight into SQLite;
 * the blobs do not exist on disk (scans and listings never read them; previews show placeholders).
 * Capture dates are set (source: mtime), one file every `spacingMs` going back from now, so the
 * timeline spans many months and nothing waits for the date back-fill.
 * With `blobs`, every blob exists as a tiny valid JPEG (96×72, unique bytes): thumbnails are made
 * for real and the store's health probe finds nothing wrong — as in a real library (~4 KiB each).
 */
export async function syntheticLibrary(dir: string, opts: { files: number; groups: number; albums: number; spacingMs?: number; blobs?: boolean }): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  await Engine.open({ libraryDir: dir }).close();
  const bases = opts.blobs ? await baseJpegs() : [];
  const objects = path.join(dir, 'objects');
  const content = (i: number): { hash: string; size: number } => {
    if (!opts.blobs) return { hash: randomBytes(32).toString('hex'), size: 1_000_000 + (i % 5_000_000) };
    const bytes = uniqueJpeg(bases[i % bases.length]!, `synthetic ${i}`);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const p = blobPath(objects, hash);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
    return { hash, size: bytes.length };
  };
  const db = new Database(path.join(dir, 'catalog.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = Date.now();
  db.transaction(() => {
    const album = db.prepare(`INSERT INTO albums (name, kind, created_at) VALUES (?, 'user', ?)`);
    const albumIds = Array.from({ length: opts.albums }, (_, i) => Number(album.run(opts.albums === 1 ? 'Everything' : `Album ${i}`, now).lastInsertRowid));
    const blob = db.prepare(`INSERT INTO blobs (hash, hash_algorithm, size, created_at) VALUES (?, 'sha256', ?, ?)`);
    const file = db.prepare(`INSERT INTO files (name, blob_hash, size, media_type, modified_at, created_at, taken_at, date_source) VALUES (?, ?, ?, ?, ?, ?, ?, 'mtime')`);
    const spacing = opts.spacingMs ?? 1000;
    const member = db.prepare('INSERT INTO memberships (album_id, file_id, added_at) VALUES (?, ?, ?)');
    let made = 0;
    for (let i = 0; made < opts.files; i++) {
      const { hash, size } = content(i);
      blob.run(hash, size, now);
      const copies = i < opts.groups ? 2 : 1;
      for (let c = 0; c < copies && made < opts.files; c++, made++) {
        const id = Number(file.run(c === 0 ? `IMG_${i}.jpg` : `IMG_${i} (copy).jpg`, hash, size, 'image/jpeg', now - i * 1000, now, now - i * spacing).lastInsertRowid);
        member.run(albumIds[(i + c) % opts.albums]!, id, now);
      }
    }
  })();
  db.close();
}
