// `node build/test/bench/read-back.js DIR`: reads every regular file under DIR back from the disk
// (O_DIRECT, bypassing the page cache), four files at a time like Shoebox's four ingest threads.
// The backup bench times it after `cp -r` + `sync`: the copy floor plus this is the floor for a
// copy whose every byte is checked on the device, which is what Shoebox's verify pass does
// ([Note: Direct I/O for blobs]).
import fs from 'node:fs';
import { CHUNK, alignedChunkBuffer } from '../../main/core/blobs/blob-writer.js';
import { filesUnder } from '../support/files-under.js';

const LANES = 4;

function openDirect(file: string): number {
  try {
    return fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_DIRECT ?? 0));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
    return fs.openSync(file, fs.constants.O_RDONLY); // no O_DIRECT on this file system
  }
}

const read = (fd: number, buf: Buffer, pos: number) => new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, CHUNK, pos, (err, n) => (err ? reject(err) : resolve(n))));

async function readBack(dir: string): Promise<number> {
  const files = filesUnder(dir).values();
  let bytes = 0;
  await Promise.all(Array.from({ length: LANES }, async () => {
    const buf = alignedChunkBuffer();
    for (let next = files.next(); !next.done; next = files.next()) {
      const fd = openDirect(next.value);
      try {
        for (let pos = 0, n = await read(fd, buf, 0); n > 0; n = await read(fd, buf, pos)) {
          pos += n;
          bytes += n;
        }
      } finally {
        fs.closeSync(fd);
      }
    }
  }));
  return bytes;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: read-back.js DIR');
process.stdout.write(`${await readBack(dir)}\n`);
