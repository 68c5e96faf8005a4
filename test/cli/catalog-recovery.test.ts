// A damaged catalog (issue #15, item 4): every command says what is wrong and what to run
// (exit 5, no stack trace), `check` describes the damage, `check --recover` restores the newest
// good snapshot and brings back every stored photo, keeping the damaged file and every blob.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { jpeg, parseLines, runCli, spawnCli, tempDir, waitFor, writeTree } from '../support/fixtures.js';
import { checkpoint, damagePage, pagesOf } from '../support/catalog-damage.js';
import { verifyLibrary } from '../support/verify-library.js';
import { settle } from '../torture/invariants.js';
import { listSnapshots, writeSnapshot } from '../../main/core/catalog/catalog-snapshots.js';

interface LsRow { album: string; name: string; fileId: number; hash: string }

/** Commands a person might run on the damaged library (none of them may show a stack trace). */
const COMMANDS = [['status'], ['ls'], ['albums'], ['trash', 'ls'], ['dedup', '--dry-run']];

async function photos(dir: string, prefix: string, n: number): Promise<void> {
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < n; i++) files[`${prefix}_${i}.jpg`] = await jpeg(`${prefix}-${i}`);
  writeTree(dir, files);
}

async function ok(args: string[], library: string): Promise<string> {
  const r = await runCli(args, { library });
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function ls(library: string): Promise<LsRow[]> {
  return parseLines<LsRow>(await ok(['--json', 'ls'], library));
}

/** `shoebox run` takes its daily snapshot at start: run it until the snapshot is there. */
async function dailySnapshot(library: string): Promise<void> {
  const before = listSnapshots(path.join(library, 'snapshots')).length;
  const run = spawnCli(['run'], { library });
  const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
  await waitFor(() => listSnapshots(path.join(library, 'snapshots')).length > before, 60_000, 'the daily snapshot');
  run.kill('SIGTERM');
  assert.equal(await exited, 0);
}

/** Every blob file in objects/, with its size (recovery may only ever add to this). */
function objectsListing(library: string): string[] {
  const root = path.join(library, 'objects');
  return fs.readdirSync(root).flatMap((shard) => fs.readdirSync(path.join(root, shard)).map((n) => `${shard}/${n}:${fs.statSync(path.join(root, shard, n)).size}`)).sort();
}

function sha(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Runs every command and checks each either works or gives the one damaged-catalog message. */
async function assertEveryCommandRefusesClearly(library: string, expectAllRefuse: boolean): Promise<void> {
  const catalog = path.join(library, 'catalog.sqlite');
  for (const args of COMMANDS) {
    const r = await runCli(args, { library });
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${args.join(' ')} printed a stack trace:\n${r.stderr}`);
    if (expectAllRefuse) assert.equal(r.code, 5, `${args.join(' ')}: ${r.stderr}`);
    else assert.ok(r.code === 0 || r.code === 5, `${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    if (r.code === 5) {
      assert.ok(r.stderr.includes(catalog), r.stderr);
      assert.match(r.stderr, /is damaged .*Run `shoebox check --recover`/s);
    }
  }
  const check = await runCli(['check'], { library });
  assert.equal(check.code, 5, check.stdout + check.stderr);
  assert.doesNotMatch(check.stderr, /\n\s+at /);
  assert.match(check.stdout, /catalog .* is damaged: .*\nYour photos' bytes are not in the catalog: \d+ stored files? (is|are) safe/s);
  assert.match(check.stdout, /What to do: run `shoebox check --recover`/);
  const json = JSON.parse((await runCli(['--json', 'check'], { library })).stdout) as { error: { code: string }; catalog: { state: string; storedFiles: number } };
  assert.equal(json.error.code, 'LIBRARY_CORRUPT');
  assert.notEqual(json.catalog.state, 'healthy');
}

/** Runs `check --recover` and checks the promises every recovery keeps. */
async function recover(library: string): Promise<{ stdout: string; rows: LsRow[] }> {
  const catalog = path.join(library, 'catalog.sqlite');
  const blobsBefore = objectsListing(library);
  const damagedSha = fs.existsSync(catalog) ? sha(catalog) : null;
  const r = await runCli(['check', '--recover'], { library });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.deepEqual(objectsListing(library), blobsBefore, 'nothing in objects/ was deleted or changed');
  if (damagedSha) {
    const kept = fs.readdirSync(path.join(library, 'damaged')).filter((n) => /^catalog-.*\.sqlite$/.test(n));
    assert.equal(kept.length, 1);
    assert.equal(sha(path.join(library, 'damaged', kept[0]!)), damagedSha, 'the damaged catalog is kept byte for byte');
  }
  assert.deepEqual(verifyLibrary(library).problems, [], 'the recovered library passes a full check');
  assert.equal((await runCli(['check'], { library })).code, 0);
  const rows = await ls(library);
  const db = new Database(catalog, { readonly: true });
  const hashes = new Set((db.prepare('SELECT blob_hash AS h FROM files').all() as { h: string }[]).map((x) => x.h)); // Trash included
  db.close();
  for (const b of blobsBefore) assert.ok(hashes.has(b.split('/')[1]!.split(':')[0]!), `blob ${b} is a file again`);
  return { stdout: r.stdout, rows };
}

/** A library: album Holiday (12 photos) backed up and snapshotted; then New (5 photos) backed up and one Holiday photo moved to Trash. */
async function libraryAfterSnapshot(opts: { byRun?: boolean } = {}): Promise<{ library: string; holiday: string; fresh: string }> {
  const library = path.join(tempDir(), 'lib');
  const holiday = path.join(tempDir(), 'Holiday');
  const fresh = path.join(tempDir(), 'New');
  await photos(holiday, 'HOL', 12);
  await photos(fresh, 'NEW', 5);
  await ok(['upload', holiday], library);
  if (opts.byRun) await dailySnapshot(library);
  else writeSnapshot(path.join(library, 'catalog.sqlite'), path.join(library, 'snapshots'), 'daily', Date.now()); // what run's job does
  await ok(['upload', fresh], library);
  const one = (await ls(library)).find((x) => x.name === 'HOL_3.jpg')!;
  await ok(['rm', String(one.fileId)], library);
  checkpoint(path.join(library, 'catalog.sqlite'));
  return { library, holiday, fresh };
}

describe('a damaged catalog', () => {
  it('random bytes in one page: clear message everywhere; recover restores the snapshot and brings back later photos in Uncategorized with their names', async () => {
    const { library, fresh } = await libraryAfterSnapshot({ byRun: true });
    const catalog = path.join(library, 'catalog.sqlite');
    damagePage(catalog, pagesOf(catalog, 'memberships')[0]!.page); // the album memberships
    await assertEveryCommandRefusesClearly(library, false); // a command that reads only other pages still works
    assert.equal((await runCli(['ls'], { library })).code, 5, 'listing albums reads the damaged page');

    const { stdout, rows } = await recover(library);
    assert.match(stdout, /restored from the daily snapshot/);
    assert.match(stdout, /5 stored files the restored catalog did not know are back in Uncategorized \(5 with their names/);
    assert.match(stdout, /1 file you moved to Trash since the snapshot is back where it was/);
    assert.match(stdout, /Albums not restored \(their files are in Uncategorized\): New/);
    assert.deepEqual(rows.filter((x) => x.album === 'Holiday').map((x) => x.name).sort(), Array.from({ length: 12 }, (_, i) => `HOL_${i}.jpg`).sort());
    assert.deepEqual(rows.filter((x) => x.album === 'Uncategorized').map((x) => x.name).sort(), Array.from({ length: 5 }, (_, i) => `NEW_${i}.jpg`).sort());

    // Backing the folder up again re-learns its records: the files join the album, no bytes are stored twice.
    const again = JSON.parse(await ok(['--json', 'upload', fresh], library)) as { created: number; bytesAdded: number };
    assert.equal(again.created, 0);
    assert.equal(again.bytesAdded, 0);
    const after = await ls(library);
    assert.equal(after.filter((x) => x.album === 'New').length, 5);
    assert.equal(after.filter((x) => x.album === 'Uncategorized').length, 0);
  });

  it('a truncated catalog: every command refuses clearly; recover brings every photo back', async () => {
    const { library } = await libraryAfterSnapshot();
    const catalog = path.join(library, 'catalog.sqlite');
    fs.truncateSync(catalog, Math.floor(fs.statSync(catalog).size / 2) + 77);
    await assertEveryCommandRefusesClearly(library, true);
    const { rows } = await recover(library);
    assert.equal(new Set(rows.map((x) => x.hash)).size, 17);
  });

  it('a zero-length catalog is not taken for a new library: nothing is written, recover without a snapshot makes every blob a file', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Pics');
    await photos(src, 'IMG', 6);
    await ok(['upload', src], library);
    const catalog = path.join(library, 'catalog.sqlite');
    checkpoint(catalog);
    fs.rmSync(`${catalog}-wal`, { force: true });
    fs.rmSync(`${catalog}-shm`, { force: true });
    fs.truncateSync(catalog, 0);
    await assertEveryCommandRefusesClearly(library, true);
    const more = path.join(tempDir(), 'More');
    await photos(more, 'MORE', 2);
    const up = await runCli(['upload', more], { library });
    assert.equal(up.code, 5, up.stderr);
    assert.equal(fs.statSync(catalog).size, 0, 'no fresh catalog was created over it');

    const { stdout, rows } = await recover(library);
    assert.match(stdout, /no usable snapshot/);
    assert.equal(rows.length, 6);
    assert.ok(rows.every((x) => x.album === 'Uncategorized' && /^[0-9a-f]{12}\.jpg$/.test(x.name)), JSON.stringify(rows.map((x) => x.name)));
  });

  it('without a snapshot, a damaged page loses only its rows: the rest keep their names, all are files', async () => {
    const library = path.join(tempDir(), 'lib');
    const src = path.join(tempDir(), 'Many');
    await photos(src, 'IMG', 160);
    await ok(['upload', src], library);
    const catalog = path.join(library, 'catalog.sqlite');
    checkpoint(catalog);
    const leaves = pagesOf(catalog, 'files').filter((p) => p.type === 'leaf');
    assert.ok(leaves.length >= 2);
    damagePage(catalog, leaves[0]!.page);
    await assertEveryCommandRefusesClearly(library, false);
    const { stdout, rows } = await recover(library);
    assert.match(stdout, /no usable snapshot/);
    assert.equal(rows.length, 160);
    // Names come from the files rows that could be read, else from the source records.
    assert.equal(rows.filter((x) => /^IMG_\d+\.jpg$/.test(x.name)).length, 160);
  });

  it('a damaged index page loses nothing: the catalog is rebuilt from its tables', async () => {
    const { library } = await libraryAfterSnapshot();
    const before = await ls(library);
    const catalog = path.join(library, 'catalog.sqlite');
    damagePage(catalog, pagesOf(catalog, 'files_hash_name')[0]!.page);
    const check = await runCli(['check'], { library });
    assert.equal(check.code, 5);
    assert.match(check.stdout, /only its indexes are damaged/);
    const { stdout, rows } = await recover(library);
    assert.match(stdout, /rebuilt from the damaged catalog's own tables/);
    assert.deepEqual(rows, before);
  });

  it('check --recover refuses while an engine runs on the library, and changes nothing', async () => {
    const { library } = await libraryAfterSnapshot();
    const run = spawnCli(['run'], { library });
    const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
    let r: Awaited<ReturnType<typeof runCli>>;
    try {
      // run-status.json is written once run holds the engine lock and is up
      await waitFor(() => fs.existsSync(path.join(library, 'run-status.json')) || run.exitCode !== null, 60_000, 'run to start');
      r = await runCli(['check', '--recover'], { library });
    } finally {
      run.kill('SIGTERM'); // also when the wait failed: a live child would hold the test file open
    }
    assert.equal(await exited, 0);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /already running/);
    assert.equal(fs.existsSync(path.join(library, 'damaged')), false);
    assert.equal(fs.existsSync(path.join(library, 'recovery')), false);
  });

  it('a watch added after the snapshot is watched again, and the next sync puts its photos back in their album without storing them again', async () => {
    const { library } = await libraryAfterSnapshot();
    const later = path.join(tempDir(), 'Later');
    await photos(later, 'LATE', 3);
    const added = await runCli(['watch', 'add', later], { library });
    assert.equal(added.code, 0, added.stderr);
    assert.equal((await ls(library)).filter((x) => x.album === 'Later').length, 3);
    const catalog = path.join(library, 'catalog.sqlite');
    checkpoint(catalog);
    damagePage(catalog, pagesOf(catalog, 'memberships')[0]!.page);

    const { stdout, rows } = await recover(library);
    assert.ok(stdout.includes(`Watched again: ${later}`), stdout);
    assert.equal(rows.filter((x) => x.album === 'Uncategorized' && x.name.startsWith('LATE_')).length, 3);
    const blobs = objectsListing(library);
    await settle(library); // `run` until the watches are caught up
    const after = await ls(library);
    assert.deepEqual(after.filter((x) => x.album === 'Later').map((x) => x.name).sort(), ['LATE_0.jpg', 'LATE_1.jpg', 'LATE_2.jpg']);
    assert.equal(after.filter((x) => x.name.startsWith('LATE_') && x.album === 'Uncategorized').length, 0);
    assert.deepEqual(objectsListing(library), blobs, 'nothing was stored again');
  });

  it('an interrupted recovery blocks every command until check --recover runs again', async () => {
    const { library } = await libraryAfterSnapshot();
    const catalog = path.join(library, 'catalog.sqlite');
    damagePage(catalog, pagesOf(catalog, 'files')[0]!.page);
    fs.mkdirSync(path.join(library, 'recovery'));
    fs.writeFileSync(path.join(library, 'recovery', 'state.json'), JSON.stringify({ state: 'building', stamp: 'x' }));
    // an existing folder: a missing one is refused before the library is opened, which would test nothing here
    const r = await runCli(['upload', tempDir()], { library });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /check --recover` was interrupted/);
    await recover(library);
    assert.equal(fs.existsSync(path.join(library, 'recovery')), false);
  });

  it('a recovery killed after the new catalog was ready is finished by the next run: damaged files moved, new catalog in place', async () => {
    const { library } = await libraryAfterSnapshot();
    const catalog = path.join(library, 'catalog.sqlite');
    const damagedSha = sha(catalog);
    damagePage(catalog, pagesOf(catalog, 'memberships')[0]!.page);
    const damagedNow = sha(catalog);
    assert.notEqual(damagedNow, damagedSha);
    // The state a kill leaves between moving the damaged catalog aside and putting the new one in place.
    const stamp = '2026-01-01T00-00-00.000Z';
    const recovery = path.join(library, 'recovery');
    fs.mkdirSync(recovery);
    fs.copyFileSync(listSnapshots(path.join(library, 'snapshots'))[0]!.file, path.join(recovery, 'catalog.sqlite'));
    fs.mkdirSync(path.join(library, 'damaged'));
    fs.renameSync(catalog, path.join(library, 'damaged', `catalog-${stamp}.sqlite`));
    const report = { recovered: true, damagedKeptAs: [], base: { kind: 'empty' }, skippedSnapshots: [], salvage: { readable: false, reason: null, rowsRead: 0, rowsLost: 0, tablesLost: [] }, replay: null };
    fs.writeFileSync(path.join(recovery, 'state.json'), JSON.stringify({ state: 'ready', stamp, report }));
    assert.equal((await runCli(['status'], { library })).code, 5, 'no command runs on a half-finished recovery');

    const r = await runCli(['--json', 'check', '--recover'], { library });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.existsSync(recovery), false);
    assert.equal(sha(path.join(library, 'damaged', `catalog-${stamp}.sqlite`)), damagedNow, 'the damaged catalog is kept');
    assert.deepEqual((await ls(library)).map((x) => x.name).sort(), Array.from({ length: 12 }, (_, i) => `HOL_${i}.jpg`).sort(), 'the snapshot is in place');
  });

  it('on a healthy catalog, check --recover changes nothing', async () => {
    const { library } = await libraryAfterSnapshot();
    const before = await ls(library);
    const r = await runCli(['check', '--recover'], { library });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Nothing to recover in .*: the catalog passed its integrity check/);
    assert.deepEqual(await ls(library), before);
    assert.equal(fs.existsSync(path.join(library, 'damaged')), false);
  });
});
