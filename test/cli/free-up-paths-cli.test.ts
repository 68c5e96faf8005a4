// Free up space names places the way people do (real processes, real symlinks): a folder watched
// through a symlink and freed by its real path, or a symlink to one photo given as the path, are
// the same files as the watch's ([Note: Same folder, whatever the path]).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { jpeg, runCli, tempDir, unprivilegedUid, writeTree } from '../support/fixtures.js';

interface Out { review: { roots: string[]; fileRoots: string[]; qualifying: { files: number } }; kept: Array<{ path: string; reason: string }>; applied: { freed: number } | null }

const freedRows = (library: string) => {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT path FROM freed_sources ORDER BY path').all() as Array<{ path: string }>).map((r) => r.path);
  } finally {
    db.close();
  }
};

describe('free-up paths, whatever spelling', () => {
  it('a folder watched through a symlink is freed by its real path, and a symlink to a photo frees that photo; the watch\'s own paths are kept', async () => {
    const real = path.join(fs.realpathSync(tempDir()), 'Real');
    writeTree(path.join(real, 'photos'), { 'a.jpg': await jpeg('paths-a', 3000), 'b.jpg': await jpeg('paths-b', 3000), 'c.jpg': await jpeg('paths-c', 3000) });
    const alias = path.join(tempDir(), 'alias');
    fs.symlinkSync(real, alias);
    const library = path.join(tempDir(), 'lib');
    const env = { XDG_DATA_HOME: path.join(tempDir(), 'data') };
    assert.equal((await runCli(['watch', 'add', path.join(alias, 'photos'), '--mode', 'single'], { library, env })).code, 0);

    const dry = await runCli(['--json', 'free-up', '--dry-run', path.join(real, 'photos')], { library, env });
    assert.equal(dry.code, 0, dry.stderr);
    const out = JSON.parse(dry.stdout) as Out;
    assert.deepEqual(out.kept, [], 'not "not backed up from here"');
    assert.equal(out.review.qualifying.files, 3);
    assert.deepEqual(out.review.roots, [path.join(alias, 'photos')], 'looked at under the watch\'s spelling');

    const link = path.join(tempDir(), 'favourite.jpg');
    fs.symlinkSync(path.join(real, 'photos', 'a.jpg'), link);
    const text = await runCli(['free-up', '--dry-run', link], { library, env });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Looked at 1 file \(the file .*alias\/photos\/a\.jpg\);/);
    assert.doesNotMatch(text.stdout, /could not read/);
    const one = await runCli(['--json', 'free-up', '--yes', link], { library, env });
    assert.equal(one.code, 0, one.stderr);
    assert.equal((JSON.parse(one.stdout) as Out).applied?.freed, 1);
    assert.deepEqual(fs.readdirSync(path.join(real, 'photos')).sort(), ['b.jpg', 'c.jpg']);
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link itself is left alone');

    const rest = await runCli(['--json', 'free-up', '--yes', path.join(real, 'photos')], { library, env });
    assert.equal((JSON.parse(rest.stdout) as Out).applied?.freed, 2);
    assert.deepEqual(freedRows(library), ['a.jpg', 'b.jpg', 'c.jpg'].map((n) => path.join(alias, 'photos', n)), 'freed under the watch\'s paths: its later look takes them for freed, not deleted');
  });

  it('a folder it cannot read is named with why, nothing in it is freed, and the exit is 3; a review that read nothing does not say "read 0 B"', async () => {
    const uid = unprivilegedUid(); // root reads every folder: the CLI runs as nobody
    const as = uid !== undefined ? { uid } : {};
    const src = path.join(tempDir(), 'Card');
    writeTree(src, { 'ok.jpg': await jpeg('unread-ok', 2000), 'Locked/inner.jpg': await jpeg('unread-inner', 2000) });
    fs.chmodSync(src, 0o777); // nobody may move its files to the Trash
    const library = path.join(tempDir(), 'lib');
    const env = { XDG_DATA_HOME: path.join(tempDir(), 'data') };
    assert.equal((await runCli(['upload', src], { library, env, ...as })).code, 0);
    fs.chmodSync(path.join(src, 'Locked'), 0o000);
    try {
      const text = await runCli(['free-up', '--dry-run', src], { library, env, ...as });
      assert.equal(text.code, 3, text.stderr);
      assert.match(text.stdout, /Could not read 1 folder; nothing in it is freed:\n {2}.*Card\/Locked — permission denied\n/);
      assert.match(text.stdout, /Can free 1 file/);
      const json = await runCli(['--json', 'free-up', '--yes', src], { library, env, ...as });
      assert.equal(json.code, 3, json.stderr);
      const out = JSON.parse(json.stdout) as Out & { review: { unreadable: Array<{ path: string; reason: string }> } };
      assert.deepEqual(out.review.unreadable, [{ path: path.join(src, 'Locked'), reason: 'permission denied' }]);
      assert.equal(out.applied?.freed, 1);
    } finally {
      fs.chmodSync(path.join(src, 'Locked'), 0o755);
    }
    assert.ok(fs.existsSync(path.join(src, 'Locked', 'inner.jpg')), 'the unreadable folder\'s photo is where it was');
    const empty = path.join(tempDir(), 'Empty');
    fs.mkdirSync(empty);
    const none = await runCli(['free-up', '--dry-run', empty], { library, env, ...as });
    assert.equal(none.code, 0, none.stderr);
    assert.match(none.stdout, /^Looked at 0 files under .*Empty in \d+\.\d s\.\n/);
  });
});
