import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { ShoeboxError } from '../errors.js';
import { MAX_FILE_BYTES, isIgnoredName } from '../media/media-type.js';
/** Entries that inflate more than this ratio are treated as zip bombs (photos barely compress). */
const MAX_RATIO = 200;
/**
 * Opens a ZIP archive and lists its regular files (streamed: the central directory only).
 * Unsafe names (`../`, absolute, drive letters), encrypted entries, oversize or bomb-like
 * entries are reported as problems and left out; the rest are listed.
 */
export async function listZip(zipPath) {
    let zip;
    try {
        zip = await yauzl.openPromise(zipPath, { autoClose: false, decodeStrings: false, validateEntrySizes: true });
    }
    catch (err) {
        throw new ShoeboxError('ZIP_INVALID', `${zipPath} is not a readable ZIP archive (${err.message}). Nothing from it was backed up.`, { cause: err });
    }
    const entries = [];
    const problems = [];
    await new Promise((resolve) => {
        zip.on('entry', (entry) => {
            const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false);
            const problem = entryProblem(name, entry);
            if (problem)
                problems.push({ entry: name, message: problem });
            else if (!name.endsWith('/') && !name.split('/').some((seg) => isIgnoredName(seg) || seg === '__MACOSX')) {
                const dir = path.posix.dirname(name);
                entries.push({ info: { name, relDir: dir === '.' ? '' : dir, size: entry.uncompressedSize, mtimeMs: entry.getLastModDate().getTime() }, entry });
            }
            zip.readEntry();
        });
        zip.once('end', () => resolve());
        // Damage in the directory: what was listed before it is still backed up; the rest is reported.
        zip.once('error', (err) => {
            problems.push({ entry: '(the rest of the archive)', message: `could not be read: ${path.basename(zipPath)} is damaged (${err.message}); entries after the damage were not backed up` });
            resolve();
        });
        zip.readEntry();
    });
    return { zip, entries, problems };
}
function entryProblem(name, entry) {
    const bad = yauzl.validateFileName(name);
    if (bad)
        return `unsafe name in archive (${bad}); skipped`;
    if (name.split('/').some((seg) => seg === '..'))
        return 'unsafe name in archive; skipped';
    if (entry.isEncrypted())
        return 'is encrypted; Shoebox cannot read encrypted ZIP entries';
    if (!entry.canDecodeFileData())
        return `uses an unsupported compression method (${entry.compressionMethod})`;
    if (entry.uncompressedSize > MAX_FILE_BYTES)
        return 'is larger than 10 GiB; not backed up';
    if (entry.uncompressedSize > 1 << 20 && entry.uncompressedSize > entry.compressedSize * MAX_RATIO) {
        return `inflates ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}× (a zip bomb?); skipped`;
    }
    return null;
}
/**
 * Extracts one entry to a fresh temp file in tmpDir. yauzl checks the size while streaming; the
 * CRC-32 is checked here (yauzl does not), so a corrupt entry is refused rather than stored.
 */
export async function extractEntry(zip, entry, tmpDir) {
    const out = path.join(tmpDir, `${randomBytes(8).toString('hex')}.zipentry`);
    const stream = await new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))));
    let crc = 0;
    const check = new Transform({
        transform(chunk, _enc, done) {
            crc = zlib.crc32(chunk, crc);
            done(null, chunk);
        },
        flush(done) {
            done(crc >>> 0 === entry.crc32 >>> 0 ? null : new Error(`its CRC-32 does not match (${(crc >>> 0).toString(16)} ≠ ${(entry.crc32 >>> 0).toString(16)}): the entry is corrupt`));
        },
    });
    try {
        await pipeline(stream, check, fs.createWriteStream(out, { flags: 'wx' }));
    }
    catch (err) {
        fs.rmSync(out, { force: true });
        throw err;
    }
    return out;
}
//# sourceMappingURL=zip-source.js.map