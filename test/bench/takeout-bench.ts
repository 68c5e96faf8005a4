import fs from 'node:fs';
import path from 'node:path';
import { CLI, withComment, randomBytesSeeded } from '../support/fixtures.js';
import { mp4 } from '../support/media-fixtures.js';
import { takeoutFixture, writeTakeoutFolder, writeTakeoutZips } from '../support/takeout-fixture.js';
import { cameraLikeJpeg } from './fixtures.js';
import { timeCommand, treeBytes, warmCache, type BenchRow } from './measure.js';

/** About this much Takeout (photos, videos and sidecars); `SHOEBOX_BENCH_TAKEOUT_MB` makes it smaller while developing. */
const TARGET_MB = Number(process.env.SHOEBOX_BENCH_TAKEOUT_MB ?? 2048);

/**
 * The export as ZIPs and unpacked, cached between runs: the quirk fixture (takeout-fixture.ts)
 * repeated until it holds TARGET_MB, with 12-megapixel camera-like JPEGs (each with bytes of its
 * own) and a short video per copy.
 */
async function takeoutSet(dir: string): Promise<{ zips: string[]; folder: string; mediaBytes: number; files: number }> {
  const marker = path.join(dir, `.complete-${TARGET_MB}`);
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8')) as { zips: string[]; folder: string; mediaBytes: number; files: number };
  fs.rmSync(dir, { recursive: true, force: true });
  const bases = await Promise.all([1, 2, 3, 4].map((s) => cameraLikeJpeg(s)));
  const perCopy = 16 * (bases.reduce((n, b) => n + b.length, 0) / bases.length);
  const copies = Math.max(1, Math.min(30, Math.round((TARGET_MB * 1e6) / perCopy)));
  let n = 0;
  const video = mp4(2, { size: '640x480' });
  const fixture = await takeoutFixture((seed, kind) => Promise.resolve(kind === 'mp4' ? Buffer.concat([video, randomBytesSeeded(seed, 16)]) : withComment(bases[n++ % bases.length]!, randomBytesSeeded(seed, 4096))), { copies, zips: Math.max(2, Math.ceil(TARGET_MB / 500)) });
  const zips = writeTakeoutZips(path.join(dir, 'zips'), fixture);
  const folder = writeTakeoutFolder(path.join(dir, 'unpacked'), fixture);
  const media = fixture.entries.filter((e) => !e.path.endsWith('.json'));
  const info = { zips, folder, mediaBytes: media.reduce((s, e) => s + e.data.length, 0), files: media.length };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

/**
 * Issue #21 row: importing a Google Takeout export from its ZIPs (sidecars read straight out of
 * the archives, photos extracted a chunk at a time) next to `shoebox upload` of the same export
 * unpacked into a folder, each into a fresh library, alternating over two rounds on the same
 * machine in the same run (the median of each is reported).
 */
export async function takeoutBench(work: string): Promise<BenchRow[]> {
  const set = await takeoutSet(path.join(work, `takeout-${TARGET_MB}`));
  const zipBytes = set.zips.reduce((n, z) => n + fs.statSync(z).size, 0);
  const run = (what: string, args: string) => {
    const library = path.join(work, `library-takeout-${what}`);
    fs.rmSync(library, { recursive: true, force: true });
    timeCommand('sync');
    const m = timeCommand(`node "${CLI}" --library "${library}" upload ${args} > /dev/null 2>&1`);
    fs.rmSync(library, { recursive: true, force: true });
    return m;
  };
  const zipsArg = set.zips.map((z) => `"${z}"`).join(' ');
  warmCache(path.dirname(set.zips[0]!));
  warmCache(set.folder);
  const rounds: Array<{ zip: ReturnType<typeof timeCommand>; folder: ReturnType<typeof timeCommand> }> = [];
  for (let r = 0; r < 2; r++) {
    const zip = run('zips', zipsArg);
    const folder = run('folder', `"${set.folder}"`);
    rounds.push({ zip, folder });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const zipS = median(rounds.map((r) => r.zip.seconds));
  const folderS = median(rounds.map((r) => r.folder.seconds));
  const mb = set.mediaBytes / 1e6;
  const group = `takeout ${set.files} photos/videos, ${(zipBytes / 1e9).toFixed(2)} GB in ${set.zips.length} ZIPs`;
  const peak = Math.max(...rounds.map((r) => r.zip.peakRssMb));
  return [
    { group, tool: 'shoebox upload FOLDER (unpacked)', value: `${(mb / folderS).toFixed(0)} MB/s`, note: `${folderS.toFixed(1)} s (rounds: ${rounds.map((r) => r.folder.seconds.toFixed(1)).join(', ')}); ${(treeBytes(set.folder) / 1e9).toFixed(2)} GB on disk` },
    { group, tool: 'shoebox upload ZIP…', value: `${(mb / zipS).toFixed(0)} MB/s`, ratio: `${(folderS / zipS).toFixed(2)}× unpacked`, note: `${zipS.toFixed(1)} s (rounds: ${rounds.map((r) => r.zip.seconds.toFixed(1)).join(', ')}); peak RSS ${peak.toFixed(0)} MB; sidecars matched across ZIPs` },
  ];
}
