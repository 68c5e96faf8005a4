// Crash safety of `shoebox run` (issue #4): killed with SIGKILL during a 5k-file initial sync
// while files are being added, edited, renamed and deleted. Afterwards the library matches the
// folders exactly: every file on disk is in its album once with its current content, nothing
// else is in those albums, and every blob verifies. Reproduce with SHOEBOX_TEST_SEED.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { jpeg, parseLines, runCli, seededRandom, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { verifyLibrary } from '../support/verify-library.js';

const FILES = 5000;
const FOLDERS = 50;
const KILLS = 22;

describe('run killed with SIGKILL during initial sync and live changes', () => {
  it(`${FILES} files, ${KILLS} kills: the library matches the folders exactly`, { timeout: 300_000 }, async (t) => {
    const seed = Number(process.env.SHOEBOX_TEST_SEED ?? Date.now() % 1_000_000);
    t.diagnostic(`seed ${seed}`);
    const rand = seededRandom(seed);
    const root = path.join(tempDir(), 'Camera');
    const library = path.join(tempDir(), 'lib');
    fs.mkdirSync(path.join(root, 'F00'), { recursive: true });
    assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library })).code, 0);
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < FILES; i++) files[`F${String(i % FOLDERS).padStart(2, '0')}/IMG_${String(i).padStart(5, '0')}.jpg`] = await jpeg(`run-${i}`, (i % 5) * 1500);
    writeTree(root, files);

    let serial = 0;
    const liveChange = async () => {
      const dir = path.join(root, `F${String(Math.floor(rand() * FOLDERS)).padStart(2, '0')}`);
      const names = fs.readdirSync(dir);
      const pick = names[Math.floor(rand() * names.length)];
      const r = rand();
      if (r < 0.4 || !pick) fs.writeFileSync(path.join(dir, `NEW_${serial++}.jpg`), await jpeg(`new-${seed}-${serial}`));
      else if (r < 0.6) fs.writeFileSync(path.join(dir, pick), await jpeg(`edit-${seed}-${serial++}`));
      else if (r < 0.8) fs.renameSync(path.join(dir, pick), path.join(dir, `REN_${serial++}_${pick}`));
      else fs.rmSync(path.join(dir, pick));
    };

    let kills = 0;
    for (let k = 0; k < KILLS; k++) {
      const child = spawnCli(['run'], { library });
      const exited = once(child, 'exit');
      const deadline = Date.now() + 300 + rand() * 1500;
      while (Date.now() < deadline && child.exitCode === null) {
        await liveChange();
        await sleep(20 + rand() * 120);
      }
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      await exited;
    }
    t.diagnostic(`killed ${kills} times, ${serial} live changes`);
    assert.ok(kills >= 20);

    // Let a clean run catch up and settle, then stop it with Ctrl-C.
    const child = spawnCli(['run'], { library });
    const exited = once(child, 'exit');
    await waitFor(async () => {
      const s = JSON.parse((await runCli(['--json', 'status'], { library })).stdout) as { sync: { state: string; queued: number; watches: Array<{ state: string }> } | null };
      return s.sync && s.sync.watches[0]?.state === 'watching' && s.sync.queued === 0 && s.sync.state !== 'syncing';
    }, 120_000, 'the final run to catch up');
    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);

    const expected = new Set<string>();
    for (const dir of fs.readdirSync(root)) {
      for (const name of fs.readdirSync(path.join(root, dir))) {
        const hash = createHash('sha256').update(fs.readFileSync(path.join(root, dir, name))).digest('hex');
        expected.add(`${dir}/${name}/${hash}`);
      }
    }
    const rows = parseLines<{ album: string; name: string; hash: string }>((await runCli(['--json', 'ls'], { library })).stdout).filter((r) => r.album !== 'Uncategorized');
    const actual = rows.map((r) => `${r.album}/${r.name}/${r.hash}`);
    assert.equal(actual.length, new Set(actual).size, 'no file twice in an album');
    assert.deepEqual([...expected].filter((e) => !actual.includes(e)), [], 'every file on disk is backed up with its current content');
    assert.deepEqual(actual.filter((a) => !expected.has(a)), [], 'nothing else is in the watched albums');
    const v = verifyLibrary(library);
    assert.deepEqual(v.problems, []);
    assert.equal(v.tempFiles, 0);
  });
});
