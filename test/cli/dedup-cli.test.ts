// `shoebox dedup`, `trash`, `storage` as a person uses them (issue #5).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';

interface Row { album: string; name: string; fileId: number }
interface Group { id: string; keep: number; copies: Array<{ fileId: number; name: string; albums: string[] }> }

async function libraryWithDuplicates(): Promise<{ library: string }> {
  const library = path.join(tempDir(), 'lib');
  const root = tempDir();
  const a = await jpeg('cli-dup-a');
  const b = await jpeg('cli-dup-b');
  writeTree(root, { 'Trip/a.jpg': a, 'Trip/b.jpg': b, 'Copies/a (1).jpg': a, 'Copies/b (1).jpg': b, 'Copies/b (2).jpg': b });
  for (const album of ['Trip', 'Copies']) assert.equal((await runCli(['upload', path.join(root, album)], { library })).code, 0);
  return { library };
}

describe('shoebox dedup (CLI)', () => {
  it('lists groups with the kept copy; without --yes and without a terminal nothing changes', async () => {
    const { library } = await libraryWithDuplicates();
    const r = await runCli(['dedup'], { library });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /group [0-9a-f]{12} .* 2 copies\n {2}keep .* a\.jpg .*in Trip\n {2}trash .* a \(1\)\.jpg .*in Copies/);
    assert.match(r.stdout, /2 groups, 3 extra copies/);
    assert.match(r.stdout, /Nothing changed\. Run with --yes to apply\./);
    assert.equal(parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).length, 5);
  });

  it('--keep and --exclude choose what happens; --yes applies; trash restore brings a copy back', async () => {
    const { library } = await libraryWithDuplicates();
    const { groups } = JSON.parse((await runCli(['--json', 'dedup', '--dry-run'], { library })).stdout) as { groups: Group[] };
    const [ga, gb] = groups.sort((x, y) => x.copies.length - y.copies.length);
    const keepB = gb!.copies.find((c) => c.name === 'b (2).jpg')!.fileId;
    const bad = await runCli(['dedup', '--yes', '--keep', '999999'], { library });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /File 999999 is not in any duplicate group/);
    const r = await runCli(['--json', 'dedup', '--yes', '--exclude', ga!.id, '--keep', String(keepB)], { library });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { applied: Array<{ status: string; trashed: number }>; before: { filesBytes: number }; after: { filesBytes: number } };
    assert.deepEqual(out.applied.map((x) => [x.status, x.trashed]), [['applied', 2]]);
    assert.ok(out.after.filesBytes < out.before.filesBytes);
    const rows = parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout);
    assert.deepEqual(rows.filter((x) => x.fileId === keepB).map((x) => x.album).sort(), ['Copies', 'Trip'], 'both albums keep b');
    assert.equal(rows.filter((x) => x.name.startsWith('a')).length, 2, 'the excluded group is untouched');
    const trash = JSON.parse((await runCli(['--json', 'trash', 'ls'], { library })).stdout) as Array<{ fileId: number; albums: string[] }>;
    assert.equal(trash.length, 2);
    assert.equal((await runCli(['trash', 'restore', String(trash[0]!.fileId)], { library })).code, 0);
    assert.ok(parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).some((x) => x.fileId === trash[0]!.fileId));
    const gone = await runCli(['trash', 'restore', '424242'], { library });
    assert.equal(gone.code, 7);
    assert.match(gone.stderr, /not in the library \(if it was in Trash, it has been purged\)/);
    const empty = await runCli(['trash', 'empty', '--yes'], { library });
    assert.match(empty.stdout, /Deleted 1 file for good; freed 0 B/);
    // the excluded group of a, plus the b copy restored from Trash
    assert.match((await runCli(['storage'], { library })).stdout, /Duplicates\s+2 groups, 2 extra copies/);
  });

  it('a group whose copies carry different RAWs is listed as left alone, by --dry-run as by --yes, and nothing goes to Trash', async () => {
    const library = path.join(tempDir(), 'lib');
    const root = tempDir();
    const photo = await jpeg('cli-dup-raw');
    const raw = (seed: number) => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * seed + seed) % 251));
    writeTree(root, { 'L1/IMG_4.JPG': photo, 'L1/IMG_4.CR2': raw(3), 'L2/DSC_4.JPG': photo, 'L2/DSC_4.CR2': raw(7), 'L3/copy.jpg': photo });
    assert.equal((await runCli(['upload', root, '--mode', 'separate'], { library })).code, 0);
    const dry = await runCli(['dedup', '--dry-run'], { library });
    assert.equal(dry.code, 0, dry.stderr);
    // Which of the two is named first depends on the order the upload committed them in.
    assert.match(dry.stdout, /3 copies {2}\(left alone\)\n(?: {2}keep .*\n){3} {2}left alone: (IMG|DSC)_4\.JPG \(file \d+\) and (IMG|DSC)_4\.JPG \(file \d+\) are the same photo with a different RAW/);
    assert.doesNotMatch(dry.stdout, /trash/, 'no copy is shown as going to Trash');
    const yes = await runCli(['dedup', '--yes'], { library });
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stdout, /0 groups, 0 extra copies\. .* 1 group left alone/);
    assert.deepEqual(JSON.parse((await runCli(['--json', 'trash', 'ls'], { library })).stdout) as unknown[], [], 'Trash is empty');
  });
});
