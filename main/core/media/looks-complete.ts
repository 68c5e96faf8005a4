import fs from 'node:fs/promises';

/** Bytes read at a time while looking for a JPEG's end-of-image marker. */
const SCAN_CHUNK = 1 << 20;

/**
 * [Note: A file still being written]
 * A watched file counts as written once its size and mtime stop changing for the settle window
 * ([Note: Settle window]); but a copy that stalls for longer (a slow USB stick, a network
 * share, a phone over MTP) leaves a cut-off photo that looks settled, and it was backed up as
 * such — then again, bigger, at each stall, every cut-off copy kept as an old version. So a
 * settled file is also asked whether its own format says it is whole, where that is cheap and
 * sure:
 *   JPEG  an end-of-image marker after the first scan starts (the segments are walked to it,
 *         so the EXIF thumbnail's own marker, before it, doesn't count): at the very end, as
 *         nearly always, or further in when data follows the image (a motion photo's video);
 *   PNG   ends with its IEND chunk;   GIF  ends with its trailer byte;
 *   WebP  the RIFF header's size is the file's;
 *   HEIC, AVIF, MP4, MOV (ISO boxes)  the top-level boxes end exactly at the end of the file.
 * `false` means cut off (or damaged); `undefined` that the format can't tell (RAW, TIFF, others),
 * and those wait only for the settle window, as before. The scan that starts a running watch
 * asks the same of the files modified moments before (change-queue.ts, stillBeingWritten): a
 * copy in progress while `run` starts waits in the queue like a live change.
 */
export async function looksComplete(file: string, size: number): Promise<boolean | undefined> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch {
    return undefined; // gone or unreadable: the backup reports it
  }
  try {
    const read = async (pos: number, len: number): Promise<Buffer> => {
      const buf = Buffer.alloc(Math.max(0, Math.min(len, size - pos)));
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      return buf.subarray(0, bytesRead);
    };
    const head = await read(0, 16);
    if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return await jpegComplete(read, size);
    if (head.length < 12) return undefined;
    if (head.readUInt32BE(0) === 0x89504e47) return (await read(size - 12, 12)).equals(PNG_IEND);
    if (head.toString('latin1', 0, 4) === 'GIF8') return (await read(size - 1, 1))[0] === 0x3b;
    if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WEBP') return head.readUInt32LE(4) + 8 <= size;
    if (head.toString('latin1', 4, 8) === 'ftyp') return await boxesComplete(read, size);
    return undefined;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** True when a JPEG holds its end-of-image marker after its first scan begins. */
async function jpegComplete(read: (pos: number, len: number) => Promise<Buffer>, size: number): Promise<boolean | undefined> {
  let pos = 2;
  let scan = -1;
  while (scan < 0) {
    const h = await read(pos, 4);
    if (h.length < 4) return false; // ended inside the headers
    if (h[0] !== 0xff) return undefined; // not the segment structure we know: can't tell
    const marker = h[1]!;
    if (marker === 0xff) pos++; // fill byte
    else if (marker === 0xd9) return true; // an image with no scan at all
    else if (marker === 0xda) scan = pos + 2;
    else if (marker >= 0xd0 && marker <= 0xd7) pos += 2;
    else pos += 2 + h.readUInt16BE(2);
  }
  // Entropy-coded data never holds FF D9: the first one after the scan starts is the image's end.
  if (size - 2 > scan && (await read(size - 2, 2)).equals(EOI)) return true;
  for (let at = scan; at < size; at += SCAN_CHUNK - 1) {
    if ((await read(at, SCAN_CHUNK)).indexOf(EOI) >= 0) return true;
  }
  return false;
}

const EOI = Buffer.from([0xff, 0xd9]);

/** True when ISO base media boxes (HEIC, AVIF, MP4, MOV) tile the file exactly. */
async function boxesComplete(read: (pos: number, len: number) => Promise<Buffer>, size: number): Promise<boolean | undefined> {
  let pos = 0;
  for (let boxes = 0; pos < size; boxes++) {
    if (boxes > 10_000) return undefined;
    const h = await read(pos, 16);
    if (h.length < 8) return false;
    const small = h.readUInt32BE(0);
    if (small === 0) return true; // the last box runs to the end of the file
    let len = small;
    if (small === 1) {
      if (h.length < 16) return false;
      len = Number(h.readBigUInt64BE(8));
    }
    if (len < 8) return undefined; // not a box structure we know
    pos += len;
  }
  return pos === size;
}
