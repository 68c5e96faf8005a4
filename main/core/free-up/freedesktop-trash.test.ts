import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { FreedesktopTrash, TrashRefusal, encodeTrashPath, trashInfo } from './freedesktop-trash.js';
import { NotTheVerifiedFile } from './system-trash.js';

const noHooks = { planned: () => undefined, beforeMove: () => Promise.resolve(), isVerified: () => Promise.resolve(true) };

/** A fresh tmpfs (another device) when we may mount one (root), else undefined. */
function otherDevice(): { dir: string; unmount(): void } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = tempDir('shoebox-mnt-');
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'shoebox-test', dir]).status !== 0) return undefined;
  return { dir, unmount: () => void spawnSync('umount', ['-l', dir]) };
}

describe('freedesktop Trash (Trash spec 1.0)', () => {
  it('a file on the home device goes to $XDG_DATA_HOME/Trash: the info file is written first, then the file is renamed', async () => {
    const data = path.join(tempDir(), 'data');
    const src = path.join(tempDir(), 'Trip 2024', 'IMG 1.jpg');
    fs.mkdirSync(path.dirname(src));
    fs.writeFileSync(src, 'photo');
    const ino = fs.statSync(src).ino;
    const trash = new FreedesktopTrash({ dataHome: data, now: () => new Date(2024, 7, 3, 14, 5, 1).getTime() });
    const seen: string[] = [];
    const place = await trash.moveToTrash(src, {
      planned: (p) => seen.push(`planned ${p.name}`),
      beforeMove: () => {
        seen.push(`info ${fs.existsSync(path.join(data, 'Trash/info/IMG 1.jpg.trashinfo'))}, file ${fs.existsSync(src)}`);
        return Promise.resolve();
      },
      isVerified: (moved) => {
        seen.push(`moved to ${path.relative(data, moved)}`);
        return Promise.resolve(true);
      },
    });
    assert.deepEqual(seen, ['planned IMG 1.jpg', 'info true, file true', 'moved to Trash/files/IMG 1.jpg']);
    assert.deepEqual(place, { trashDir: path.join(data, 'Trash'), name: 'IMG 1.jpg' });
    assert.equal(fs.existsSync(src), false);
    const moved = path.join(data, 'Trash/files/IMG 1.jpg');
    assert.equal(fs.statSync(moved).ino, ino, 'renamed, not copied');
    const info = fs.readFileSync(path.join(data, 'Trash/info/IMG 1.jpg.trashinfo'), 'utf8');
    assert.equal(info, `[Trash Info]\nPath=${encodeTrashPath(fs.realpathSync(src.replace('/IMG 1.jpg', '')) + '/IMG 1.jpg')}\nDeletionDate=2024-08-03T14:05:01\n`);
    assert.match(info, /Path=\/.*Trip%202024\/IMG%201\.jpg\n/);
    assert.equal(fs.statSync(path.join(data, 'Trash')).mode & 0o777, 0o700);
  });

  it('a name already in the Trash gets a number; the first file there is untouched', async () => {
    const data = path.join(tempDir(), 'data');
    const trash = new FreedesktopTrash({ dataHome: data });
    const names: Array<string | null> = [];
    for (const dir of ['a', 'b', 'c']) {
      const src = path.join(tempDir(), dir, 'IMG_1.jpg');
      fs.mkdirSync(path.dirname(src));
      fs.writeFileSync(src, dir);
      names.push((await trash.moveToTrash(src, noHooks)).name);
    }
    assert.deepEqual(names, ['IMG_1.jpg', 'IMG_1.2.jpg', 'IMG_1.3.jpg']);
    assert.equal(fs.readFileSync(path.join(data, 'Trash/files/IMG_1.jpg'), 'utf8'), 'a');
    assert.equal(fs.readFileSync(path.join(data, 'Trash/files/IMG_1.3.jpg'), 'utf8'), 'c');
  });

  it('a re-check that fails right before the move leaves the file in place and no info file behind', async () => {
    const data = path.join(tempDir(), 'data');
    const src = path.join(tempDir(), 'x.jpg');
    fs.writeFileSync(src, 'x');
    const trash = new FreedesktopTrash({ dataHome: data });
    await assert.rejects(trash.moveToTrash(src, { ...noHooks, beforeMove: () => Promise.reject(new Error('changed')) }), /changed/);
    assert.equal(fs.readFileSync(src, 'utf8'), 'x');
    assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/info')), []);
    assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/files')), []);
  });

  it('a file swapped in between the last look and the move is put back, without replacing what took its name', async () => {
    const root = tempDir();
    const data = path.join(root, 'data');
    const dir = path.join(root, 'swap');
    fs.mkdirSync(dir, { recursive: true });
    const src = path.join(dir, 'IMG_7.jpg');
    fs.writeFileSync(src, 'someone else\'s photo');
    const trash = new FreedesktopTrash({ dataHome: data });
    await assert.rejects(trash.moveToTrash(src, { ...noHooks, isVerified: () => Promise.resolve(false) }), (err: unknown) => err instanceof NotTheVerifiedFile && err.putBackAs === src);
    assert.equal(fs.readFileSync(src, 'utf8'), 'someone else\'s photo');
    assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/files')), []);
    assert.deepEqual(fs.readdirSync(path.join(data, 'Trash/info')), [], 'its info file is removed');
    // the name taken again while the file was in the Trash: it comes back beside it
    await assert.rejects(
      trash.moveToTrash(src, {
        ...noHooks,
        isVerified: () => {
          fs.writeFileSync(src, 'a newer file');
          return Promise.resolve(false);
        },
      }),
      (err: unknown) => err instanceof NotTheVerifiedFile && err.putBackAs === path.join(dir, 'IMG_7.2.jpg'),
    );
    assert.equal(fs.readFileSync(src, 'utf8'), 'a newer file');
    assert.equal(fs.readFileSync(path.join(dir, 'IMG_7.2.jpg'), 'utf8'), 'someone else\'s photo');
  });

  it('settling a move cut short: a reservation without its move is removed, a moved file is found', async () => {
    const data = path.join(tempDir(), 'data');
    const src = path.join(tempDir(), 'y.jpg');
    fs.writeFileSync(src, 'y');
    const trash = new FreedesktopTrash({ dataHome: data });
    const real = path.join(fs.realpathSync(path.dirname(src)), 'y.jpg');
    // A crash right before the rename: the info file exists, the file is still in place.
    fs.mkdirSync(path.join(data, 'Trash/info'), { recursive: true });
    fs.mkdirSync(path.join(data, 'Trash/files'), { recursive: true });
    const place = { trashDir: path.join(data, 'Trash'), name: 'y.jpg' };
    const info = path.join(data, 'Trash/info/y.jpg.trashinfo');
    fs.writeFileSync(info, trashInfo(real, null, Date.now()));
    assert.equal(await trash.settle(src, place), 'untouched');
    assert.equal(fs.existsSync(info), false, 'the reservation is gone');
    // Someone else's info file under that name is left alone.
    fs.writeFileSync(info, trashInfo('/elsewhere/y.jpg', null, Date.now()));
    assert.equal(await trash.settle(src, place), 'untouched');
    assert.equal(fs.existsSync(info), true);
    // A kill between the info file's exclusive create and its write leaves it empty: removed too.
    fs.writeFileSync(info, '');
    assert.equal(await trash.settle(src, place), 'untouched');
    assert.equal(fs.existsSync(info), false, 'the empty reservation is gone');
    const moved = await trash.moveToTrash(src, noHooks);
    assert.deepEqual(moved, place);
    assert.equal(await trash.settle(src, moved), 'trashed');
    fs.rmSync(path.join(data, 'Trash/files/y.jpg'));
    assert.equal(await trash.settle(src, moved), 'gone');
  });

  it('a home Trash whose files/ or info/ is a symbolic link is refused: the link could lead anywhere (the library itself)', async () => {
    const data = path.join(tempDir(), 'data');
    const elsewhere = tempDir('shoebox-elsewhere-');
    fs.mkdirSync(path.join(data, 'Trash', 'info'), { recursive: true });
    fs.symlinkSync(elsewhere, path.join(data, 'Trash', 'files'));
    const src = path.join(tempDir(), 'IMG_2.jpg');
    fs.writeFileSync(src, 'photo');
    const trash = new FreedesktopTrash({ dataHome: data });
    assert.match(String(await trash.refusal(src)), /Trash\/files is a symbolic link/);
    await assert.rejects(trash.moveToTrash(src, noHooks), TrashRefusal);
    assert.deepEqual([fs.existsSync(src), fs.readdirSync(elsewhere)], [true, []]);
  });

  it('Path= is percent-encoded byte by byte, names that are not UTF-8 included', () => {
    assert.equal(encodeTrashPath('/home/me/Été 2024/a#b?.jpg'), '/home/me/%C3%89t%C3%A9%202024/a%23b%3F.jpg');
    assert.equal(encodeTrashPath('/x/\u0000ff.jpg'), '/x/%FF.jpg');
  });

  describe('a file on another mount', () => {
    const mnt = otherDevice();
    after(() => mnt?.unmount());

    it('a home Trash that is a link to another drive is refused by the review, not found out by the move', { skip: mnt ? false : 'needs root to mount a tmpfs' }, async () => {
      const data = path.join(tempDir(), 'data');
      fs.mkdirSync(data, { recursive: true });
      const away = path.join(mnt!.dir, 'xtrash');
      fs.mkdirSync(away);
      fs.symlinkSync(away, path.join(data, 'Trash'));
      const src = path.join(tempDir(), 'IMG_1.jpg');
      fs.writeFileSync(src, 'photo');
      const refusal = await new FreedesktopTrash({ dataHome: data }).refusal(src);
      assert.ok(refusal?.includes(`${path.join(data, 'Trash')} is on another drive than ${path.dirname(src)}`), String(refusal));
    });

    it('goes to $topdir/.Trash-$uid (made 0700) with Path= relative to $topdir', { skip: mnt ? false : 'needs root to mount a tmpfs' }, async () => {
      const data = path.join(tempDir(), 'data');
      const src = path.join(mnt!.dir, 'DCIM', '100CANON', 'IMG_0001.JPG');
      fs.mkdirSync(path.dirname(src), { recursive: true });
      fs.writeFileSync(src, 'card');
      const trash = new FreedesktopTrash({ dataHome: data, uid: 1234 });
      assert.equal(await trash.refusal(src), null);
      assert.equal(fs.existsSync(path.join(mnt!.dir, '.Trash-1234')), false, 'the review writes nothing');
      const place = await trash.moveToTrash(src, noHooks);
      assert.deepEqual(place, { trashDir: path.join(mnt!.dir, '.Trash-1234'), name: 'IMG_0001.JPG' });
      assert.equal(fs.statSync(place.trashDir).mode & 0o777, 0o700);
      assert.match(fs.readFileSync(path.join(place.trashDir, 'info/IMG_0001.JPG.trashinfo'), 'utf8'), /^\[Trash Info\]\nPath=DCIM\/100CANON\/IMG_0001\.JPG\nDeletionDate=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n$/);
      assert.equal(fs.existsSync(path.join(data, 'Trash')), false, 'nothing went to the home Trash');
    });

    it('uses an administrator\'s $topdir/.Trash/$uid only when it has the sticky bit and is no symlink', { skip: mnt ? false : 'needs root to mount a tmpfs' }, async () => {
      const data = path.join(tempDir(), 'data');
      const admin = path.join(mnt!.dir, '.Trash');
      fs.mkdirSync(admin, { mode: 0o777 });
      fs.chmodSync(admin, 0o777); // no sticky bit: not to be used
      const a = path.join(mnt!.dir, 'a.jpg');
      fs.writeFileSync(a, 'a');
      assert.equal((await new FreedesktopTrash({ dataHome: data, uid: 77 }).moveToTrash(a, noHooks)).trashDir, path.join(mnt!.dir, '.Trash-77'));
      fs.chmodSync(admin, 0o1777);
      const b = path.join(mnt!.dir, 'b.jpg');
      fs.writeFileSync(b, 'b');
      assert.equal((await new FreedesktopTrash({ dataHome: data, uid: 77 }).moveToTrash(b, noHooks)).trashDir, path.join(admin, '77'));
      fs.rmSync(admin, { recursive: true });
    });

    it('a $topdir/.Trash-$uid that is a symlink or not the user\'s is not used: refused with the reason, the file untouched; a bad .Trash/$uid falls back to .Trash-$uid', { skip: mnt ? false : 'needs root to mount a tmpfs' }, async () => {
      const data = path.join(tempDir(), 'data');
      const elsewhere = tempDir('shoebox-elsewhere-');
      const own = path.join(mnt!.dir, '.Trash-55');
      const src = path.join(mnt!.dir, 'c.jpg');
      fs.writeFileSync(src, 'c');
      const trash = new FreedesktopTrash({ dataHome: data, uid: 55 });
      try {
        fs.symlinkSync(elsewhere, own);
        assert.match((await trash.refusal(src)) ?? '', /\.Trash-55 is a symbolic link, so Shoebox does not use it/);
        await assert.rejects(trash.moveToTrash(src, noHooks), (err) => err instanceof TrashRefusal);
        fs.rmSync(own);
        fs.mkdirSync(path.join(own, 'files'), { recursive: true, mode: 0o700 });
        fs.symlinkSync(elsewhere, path.join(own, 'info'));
        assert.match((await trash.refusal(src)) ?? '', /info is a symbolic link/);
        fs.rmSync(own, { recursive: true });
        fs.mkdirSync(own, { mode: 0o700 });
        fs.chownSync(own, 65534, 65534);
        assert.match((await trash.refusal(src)) ?? '', /belongs to another user \(uid 65534\)/);
        await assert.rejects(trash.moveToTrash(src, noHooks), (err) => err instanceof TrashRefusal);
        assert.equal(fs.readFileSync(src, 'utf8'), 'c');
        assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing went where the link pointed');
        fs.rmSync(own, { recursive: true });
        const admin = path.join(mnt!.dir, '.Trash');
        fs.mkdirSync(admin);
        fs.chmodSync(admin, 0o1777);
        fs.symlinkSync(elsewhere, path.join(admin, '55'));
        assert.equal((await trash.moveToTrash(src, noHooks)).trashDir, own, 'a symlinked .Trash/$uid falls back to .Trash-$uid');
        assert.deepEqual(fs.readdirSync(elsewhere), []);
      } finally {
        fs.rmSync(own, { recursive: true, force: true });
        fs.rmSync(path.join(mnt!.dir, '.Trash'), { recursive: true, force: true });
      }
    });

    it('a read-only drive has no Trash: refused with the reason, the file untouched', { skip: mnt ? false : 'needs root to mount a tmpfs' }, async () => {
      const src = path.join(mnt!.dir, 'ro.jpg');
      fs.writeFileSync(src, 'ro');
      assert.equal(spawnSync('mount', ['-o', 'remount,ro', mnt!.dir]).status, 0);
      try {
        const trash = new FreedesktopTrash({ dataHome: path.join(tempDir(), 'data'), uid: 4321 });
        assert.match((await trash.refusal(src)) ?? '', /has no Trash Shoebox can use: it is on a read-only drive$/);
        await assert.rejects(trash.moveToTrash(src, noHooks), (err) => err instanceof TrashRefusal);
        assert.equal(fs.readFileSync(src, 'utf8'), 'ro');
      } finally {
        spawnSync('mount', ['-o', 'remount,rw', mnt!.dir]);
      }
    });
  });
});
