// The indexing bench's floor (issue #17): sharp's own 224×224 resize of every file in a folder,
// one at a time per core with one libvips thread each (as the indexer's decoders run), in a
// process of its own — what decoding alone allows.
// `node build/test/bench/sharp-floor.js DIR` prints the seconds the resizing took (start-up excluded).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

sharp.concurrency(1);
sharp.cache(false);
const dir = process.argv[2]!;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).map((f) => path.join(dir, f));
let next = 0;
const lane = async () => {
  while (next < files.length) await sharp(files[next++]).resize(224, 224).raw().toBuffer();
};
const started = performance.now();
await Promise.all(Array.from({ length: os.availableParallelism() }, lane));
console.log(`resized ${files.length} images in ${((performance.now() - started) / 1000).toFixed(2)} s`);
