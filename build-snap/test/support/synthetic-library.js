import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Engine } from '../../main/core/engine.js';
/**
 * Builds a catalog-only library for scale tests: `files` live files spread over `albums` albums,
 * the first `groups` contents having two copies (different names). Written straight into SQLite;
 * the blobs do not exist on disk (scans and listings never read them; previews show placeholders).
 * Capture dates are set (source: mtime), one file every `spacingMs` going back from now, so the
 * timeline spans many months and nothing waits for the date back-fill.
 */
export async function syntheticLibrary(dir, opts) {
    fs.rmSync(dir, { recursive: true, force: true });
    await Engine.open({ libraryDir: dir }).close();
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
            const hash = randomBytes(32).toString('hex');
            const size = 1_000_000 + (i % 5_000_000);
            blob.run(hash, size, now);
            const copies = i < opts.groups ? 2 : 1;
            for (let c = 0; c < copies && made < opts.files; c++, made++) {
                const id = Number(file.run(c === 0 ? `IMG_${i}.jpg` : `IMG_${i} (copy).jpg`, hash, size, 'image/jpeg', now - i * 1000, now, now - i * spacing).lastInsertRowid);
                member.run(albumIds[(i + c) % opts.albums], id, now);
            }
        }
    })();
    db.close();
}
//# sourceMappingURL=synthetic-library.js.map