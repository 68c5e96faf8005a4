// The indexing bench's floor (issue #17): sharp's own 224×224 resize of every file in a folder,
// two at a time (the machine's 2 cores), in a process of its own — what decoding alone allows.
// `node build/test/bench/sharp-floor.js DIR`
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
const dir = process.argv[2];
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jpg')).map((f) => path.join(dir, f));
let next = 0;
const lane = async () => {
    while (next < files.length)
        await sharp(files[next++]).resize(224, 224).raw().toBuffer();
};
await Promise.all(Array.from({ length: os.availableParallelism() }, lane));
//# sourceMappingURL=sharp-floor.js.map