// `node build/test/torture/issue15-repro.js [--photos 3000] [--cli PATH/shoebox.cjs]`
// Issue #15's reproduction at full size, with the timing taken from the upload's own progress
// output (not a clock): upload N photos, move them all to Trash, start an upload of a second
// tree holding the same bytes under other names, and run `trash empty --yes` as soon as the
// upload reports its first files done. Then count the second tree's files whose bytes are gone.
// `--cli` runs another build (e.g. one from before the fix) for a before/after figure.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { CLI, jpeg, tempDir, writeTree } from '../support/fixtures.js';

const { values } = parseArgs({ options: { photos: { type: 'string' }, cli: { type: 'string' } } });
const n = Number(values.photos ?? 3000);
const cli = values.cli ? path.resolve(values.cli) : CLI;
const root = tempDir('shoebox-issue15-');
const library = path.join(root, 'lib');

function shoebox(args: string[], onStderr?: (text: string) => void): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, SHOEBOX_LIBRARY: library }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => onStderr?.(d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const first: Record<string, Buffer> = {};
const again: Record<string, Buffer> = {};
for (let i = 0; i < n; i++) {
  const bytes = await jpeg(`issue15-${i}`, 2000 + (i % 9) * 1500);
  first[`IMG_${i}.jpg`] = bytes;
  again[`copy_${i}.jpg`] = bytes;
}
writeTree(path.join(root, 'First'), first);
writeTree(path.join(root, 'Again'), again);
process.stdout.write(`issue 15 repro with ${cli}: ${n} photos\n`);
if ((await shoebox(['upload', path.join(root, 'First')])).code !== 0) throw new Error('the first upload failed');
const ids = (await shoebox(['--json', 'ls'])).stdout.trim().split('\n').map((l) => String((JSON.parse(l) as { fileId: number }).fileId));
for (let i = 0; i < ids.length; i += 500) if ((await shoebox(['rm', ...ids.slice(i, i + 500)])).code !== 0) throw new Error('rm failed');

let purge: Promise<{ code: number | null }> | undefined;
let startedAt = '';
const upload = shoebox(['upload', path.join(root, 'Again')], (text) => {
  const m = /progress: (\d+)\/(\d+) files/.exec(text);
  if (!purge && m && Number(m[1]) > 0) {
    startedAt = `${m[1]}/${m[2]}`;
    purge = shoebox(['trash', 'empty', '--yes']);
  }
});
const up = await upload;
purge ??= shoebox(['trash', 'empty', '--yes']);
const p = await purge;

const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
const rows = new Map((db.prepare(`SELECT f.name, f.blob_hash AS hash FROM files f WHERE f.trashed_at IS NULL`).all() as Array<{ name: string; hash: string }>).map((r) => [r.name, r.hash]));
db.close();
let lost = 0;
for (const [name, bytes] of Object.entries(again)) {
  const want = createHash('sha256').update(bytes).digest('hex');
  const blob = path.join(library, 'objects', want.slice(0, 2), want);
  if (rows.get(name) !== want || !fs.existsSync(blob) || createHash('sha256').update(fs.readFileSync(blob)).digest('hex') !== want) lost++;
}
process.stdout.write(`upload exit ${up.code} (${/(\d+) failed/.exec(up.stdout)?.[1] ?? '?'} failed), trash empty started at ${startedAt || 'the end'} and exited ${p.code}: ${lost} of ${n} files lost their bytes\n`);
process.exitCode = lost === 0 ? 0 : 1;
