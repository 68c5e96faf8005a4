// Free up space and stored bytes that are not stored bytes ([Note: Stored bytes are never a link]):
// a deduplicating tool (`rdfind -makesymlinks`, `jdupes --link-soft`) can replace a blob by a
// symlink to its own source, and `rdfind -makehardlinks` by a hard link to it. Real processes,
// real links, a Trash of the test's own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';

interface FreeUpJson { kept: Array<{ path: string; reason: string; detail: string | null }>; applied: { freed: number } | null }

/** A watched folder (one album) of photos, backed up; returns where each one's blob lives. */
async function watched(names: string[]): Promise<{ library: string; root: string; env: NodeJS.ProcessEnv; blobOf: (name: string) => string; idOf: (name: string) => number }> {
  const root = path.join(tempDir(), 'Photos');
  const files: Record<string, Buffer> = {};
  for (const n of names) files[n] = await jpeg(`links-${n}-${root}`, 3000);
  writeTree(root, files);
  const library = path.join(tempDir(), 'lib');
  const env = { XDG_DATA_HOME: path.join(tempDir(), 'data') };
  const add = await runCli(['watch', 'add', root, '--mode', 'single'], { library, env });
  assert.equal(add.code, 0, add.stderr);
  const rows = new Map(parseLines<{ name: string; hash: string; fileId: number }>((await runCli(['--json', 'ls'], { library })).stdout).map((r) => [r.name, r]));
  const blobOf = (name: string) => {
    const h = rows.get(name)!.hash;
    return path.join(library, 'objects', h.slice(0, 2), h);
  };
  return { library, root, env, blobOf, idOf: (name) => rows.get(name)!.fileId };
}

describe('Free up space never trusts a library copy that is a link', () => {
  it('a blob replaced by a symlink to its own source is damaged for check, cat and free-up (the source is kept); repair and a new backup store real bytes again, keeping the link aside', async () => {
    const { library, root, env, blobOf, idOf } = await watched(['a.jpg', 'b.jpg', 'c.jpg']);
    for (const n of ['a.jpg', 'c.jpg']) {
      fs.rmSync(blobOf(n));
      fs.symlinkSync(path.join(root, n), blobOf(n)); // what `rdfind -makesymlinks` leaves
    }
    for (const args of [['check'], ['check', '--read-data']]) {
      const check = await runCli(args, { library });
      assert.equal(check.code, 5, `${args.join(' ')} finds the links: ${check.stdout}`);
      assert.match(check.stdout, /the library copy of a\.jpg is a symbolic link to .*Photos\/a\.jpg, not stored bytes/);
    }
    const cat = await runCli(['cat', String(idOf('a.jpg'))], { library });
    assert.equal(cat.code, 5);
    assert.match(cat.stderr, /The stored bytes of file \d+ are damaged: the library copy is a symbolic link/);
    assert.doesNotMatch(cat.stderr, /catalog/, 'the catalog is fine: only these bytes are not stored');

    const r = await runCli(['--json', 'free-up', '--yes', '--delete', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as FreeUpJson;
    assert.equal(out.applied?.freed, 1, 'only b.jpg, whose library copy is real, is freed');
    assert.deepEqual(out.kept.map((k) => [path.basename(k.path), k.reason]).sort(), [['a.jpg', 'library-copy-damaged'], ['c.jpg', 'library-copy-damaged']]);
    assert.match(out.kept[0]!.detail!, /symbolic link .*not stored bytes; keep this original: backing it up again stores the library copy again from it$/);
    assert.doesNotMatch(out.kept[0]!.detail!, /shoebox check|--repair|next starts/, 'the engine\'s words (the window shows them) name no command');
    const text = await runCli(['free-up', '--dry-run', root], { library, env });
    assert.match(text.stdout, /\(`shoebox check --repair` stores damaged or missing library copies again from their originals/, 'the CLI adds its own hint');
    assert.deepEqual(fs.readdirSync(root).sort(), ['a.jpg', 'c.jpg']);

    const repair = await runCli(['check', '--repair'], { library });
    assert.equal(repair.code, 0, repair.stdout);
    assert.match(repair.stdout, /repaired: the library copy of a\.jpg is a symbolic link.*moved to .*damaged.*stored again from .*Photos\/a\.jpg/);
    fs.rmSync(blobOf('c.jpg'));
    fs.symlinkSync(path.join(root, 'c.jpg'), blobOf('c.jpg'));
    const upload = await runCli(['upload', root], { library }); // "backing it up again"
    assert.equal(upload.code, 0, upload.stderr);
    const after = await runCli(['check', '--read-data'], { library });
    assert.equal(after.code, 0, after.stdout);
    for (const n of ['a.jpg', 'c.jpg']) assert.ok(fs.lstatSync(blobOf(n)).isFile(), `${n}: real bytes stored again`);
    const aside = fs.readdirSync(path.join(library, 'damaged')).map((f) => fs.lstatSync(path.join(library, 'damaged', f)));
    assert.deepEqual(aside.map((s) => s.isSymbolicLink()), [true, true, true], 'every link kept aside in damaged/, nothing deleted');
    const freed = await runCli(['--json', 'free-up', '--yes', '--delete', root], { library, env });
    assert.equal((JSON.parse(freed.stdout) as FreeUpJson).applied?.freed, 2, 'once stored for real, they can be freed');
  });

  it('a blob hard-linked to its own source is the same file: the source is kept', async () => {
    const { library, root, env, blobOf } = await watched(['a.jpg', 'b.jpg']);
    fs.rmSync(blobOf('a.jpg'));
    fs.linkSync(path.join(root, 'a.jpg'), blobOf('a.jpg')); // what `rdfind -makehardlinks` leaves
    const r = await runCli(['--json', 'free-up', '--yes', '--delete', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as FreeUpJson;
    assert.deepEqual(out.kept.map((k) => [path.basename(k.path), k.reason]), [['a.jpg', 'same-file']]);
    assert.equal(out.applied?.freed, 1);
    assert.ok(fs.existsSync(path.join(root, 'a.jpg')));
    assert.equal((await runCli(['check', '--read-data'], { library })).code, 0, 'the library still holds a.jpg');
  });

  it('a source with other hard links is kept with that reason: freeing one name frees no space', async () => {
    const { library, root, env } = await watched(['a.jpg', 'b.jpg']);
    const elsewhere = path.join(tempDir(), 'a-copy.jpg');
    fs.linkSync(path.join(root, 'a.jpg'), elsewhere); // another name of a.jpg, outside the folder
    const r = await runCli(['--json', 'free-up', '--yes', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as FreeUpJson;
    assert.deepEqual(out.kept.map((k) => [path.basename(k.path), k.reason, k.detail]), [['a.jpg', 'hard-linked', 'it has other hard links (2 names); freeing this one frees no space']]);
    assert.equal(out.applied?.freed, 1);
    assert.ok(fs.existsSync(path.join(root, 'a.jpg')));
    const text = await runCli(['free-up', '--dry-run', root], { library, env });
    assert.match(text.stdout, /it has other hard links: 1 file/);
  });
});
