import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { CLI } from '../support/fixtures.js';
import { photoTree } from './fixtures.js';
import { have, timeCommand, treeBytes, warmCache, type BenchRow } from './measure.js';

/**
 * Issue #20 row: Free up space's verification throughput — a review (`free-up --dry-run`) reads
 * every source and its library copy and hashes both — next to `b2sum` over the same bytes (the
 * floor: reading and hashing them with a fast hash, as many at once as Shoebox's threads), same
 * disk, warm cache, same run. Nothing is freed.
 */
export async function freeUpBench(work: string): Promise<BenchRow[]> {
  if (!have('b2sum')) return [{ group: 'free-up', tool: 'b2sum', value: 'skipped', note: 'b2sum (coreutils) is not installed' }];
  const src = path.join(work, 'photos');
  const tree = await photoTree(src, 1.05e9);
  const library = path.join(work, 'library-freeup');
  const uploaded = path.join(library, `.bench-tree-${tree.files}-${tree.bytes}`); // a library of this very tree (cached between runs)
  if (!fs.existsSync(uploaded)) {
    fs.rmSync(library, { recursive: true, force: true });
    timeCommand(`node "${CLI}" --library "${library}" upload "${src}" > /dev/null 2>&1`);
    fs.writeFileSync(uploaded, '');
  }
  const objects = path.join(library, 'objects');
  warmCache(src);
  warmCache(objects);
  const threads = Math.min(4, 2 * os.availableParallelism());
  const floor = timeCommand(`find "${src}" "${objects}" -type f -print0 | xargs -0 -n 32 -P ${threads} b2sum > /dev/null`);
  // Shoebox's own hash (SHA-256) as coreutils computes it: without the CPU's SHA instructions,
  // which Node's OpenSSL uses (so this row is no floor; it shows what those instructions buy).
  const sha = have('sha256sum') ? timeCommand(`find "${src}" "${objects}" -type f -print0 | xargs -0 -n 32 -P ${threads} sha256sum > /dev/null`) : null;
  const out = path.join(work, 'free-up-review.json');
  const review = timeCommand(`node "${CLI}" --library "${library}" --json free-up --dry-run --no-require-offsite "${src}" > "${out}" 2>/dev/null`, { env: { XDG_DATA_HOME: path.join(work, 'free-up-data') } });
  const r = JSON.parse(fs.readFileSync(out, 'utf8')) as { review: { bytesRead: number; qualifying: { files: number } } };
  if (r.review.qualifying.files !== tree.files) throw new Error(`free-up bench: ${r.review.qualifying.files} of ${tree.files} files qualified`);
  const floorBytes = treeBytes(src) + treeBytes(objects);
  const mb = r.review.bytesRead / 1e6;
  const group = `free-up review ${tree.files} photos (${(tree.bytes / 1e9).toFixed(2)} GB sources + their library copies)`;
  return [
    { group, tool: `b2sum ×${threads} (floor)`, value: `${(floorBytes / 1e6 / floor.seconds).toFixed(0)} MB/s`, note: `${floor.seconds.toFixed(2)} s for ${(floorBytes / 1e9).toFixed(2)} GB` },
    ...(sha ? [{ group, tool: `sha256sum ×${threads}`, value: `${(floorBytes / 1e6 / sha.seconds).toFixed(0)} MB/s`, note: `${sha.seconds.toFixed(2)} s: Shoebox's hash without the CPU's SHA instructions` }] : []),
    {
      group, tool: 'shoebox free-up --dry-run', value: `${(mb / review.seconds).toFixed(0)} MB/s`,
      ratio: `${((mb / review.seconds) / (floorBytes / 1e6 / floor.seconds)).toFixed(2)}× b2sum`,
      note: `${review.seconds.toFixed(2)} s for ${(mb / 1000).toFixed(2)} GB read and SHA-256'd (process start, walk and catalog included); peak RSS ${review.peakRssMb.toFixed(0)} MB`,
    },
  ];
}
