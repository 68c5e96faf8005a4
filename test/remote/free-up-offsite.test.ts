// Free up space with an offsite copy (issue #20): the remote copy of each content is downloaded,
// decrypted and hashed before its source may go; one never pushed, one missing from the bucket and
// one damaged there each keep their source, with the reason; then all three ways a source can be
// unsafe side by side. Against a real S3 server (s3rver).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { blobPath } from '../../main/core/blobs/blob-store.js';
import { blobObjectName, deriveKeys } from '../../main/core/remote/remote-crypto.js';
import { jpeg, parseLines, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { startS3, type TestS3 } from '../support/s3-server.js';

interface Row { name: string; hash: string }
interface Out { review: { requireOffsite: boolean; qualifying: { files: number } }; kept: Array<{ path: string; reason: string; detail: string | null }>; applied: { freed: number } | null }

describe('Free up space with an offsite copy', () => {
  let s3: TestS3;
  let env: NodeJS.ProcessEnv;
  const library = path.join(tempDir(), 'lib');
  const root = path.join(tempDir(), 'Photos');

  before(async () => {
    s3 = await startS3(['photos']);
    env = { ...s3.env, SHOEBOX_REMOTE_PASSPHRASE: 'correct horse battery staple', XDG_DATA_HOME: path.join(tempDir(), 'data') };
    const files: Record<string, Buffer> = {};
    for (const n of ['ok1', 'ok2', 'gone', 'damaged']) files[`Trip/${n}.jpg`] = await jpeg(`offsite-${n}`, 5000);
    writeTree(root, files);
    assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library, env })).code, 0);
    assert.equal((await runCli(['remote', 'add', 's3://photos/lib', '--endpoint', s3.endpoint], { library, env })).code, 0);
    assert.equal((await runCli(['remote', 'push'], { library, env })).code, 0);
    fs.writeFileSync(path.join(root, 'Trip/late.jpg'), await jpeg('offsite-late', 5000));
    assert.equal((await runCli(['upload', path.join(root, 'Trip')], { library, env })).code, 0); // backed up, never pushed
    // Where each content is in the bucket: the object name is a keyed hash (the key is in the library).
    const names = deriveKeys(Buffer.from(fs.readFileSync(path.join(library, 'remotes/1.key'), 'utf8').trim(), 'base64')).names;
    const hashOf = async (n: string) => parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).find((r) => r.name === n)!.hash;
    fs.rmSync(s3.objectFile('photos', blobObjectName('lib/', names, await hashOf('gone.jpg'))));
    const damaged = s3.objectFile('photos', blobObjectName('lib/', names, await hashOf('damaged.jpg')));
    const bytes = fs.readFileSync(damaged);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 0xff;
    fs.writeFileSync(damaged, bytes);
  });
  after(async () => {
    await s3?.close();
  });

  it('where a remote exists the offsite copy is required by default: a source never pushed, missing or damaged there is kept with its reason', async () => {
    const r = await runCli(['--json', 'free-up', '--dry-run', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.equal(out.review.requireOffsite, true);
    assert.equal(out.review.qualifying.files, 2);
    const kept = Object.fromEntries(out.kept.map((k) => [path.basename(k.path), k.reason]));
    assert.deepEqual(kept, { 'late.jpg': 'not-offsite', 'gone.jpg': 'not-offsite', 'damaged.jpg': 'offsite-damaged' });
    assert.match(out.kept.find((k) => k.path.endsWith('gone.jpg'))!.detail ?? '', /the remote has no object for it/);
    const human = await runCli(['free-up', '--dry-run', '--require-offsite', root], { library, env });
    assert.match(human.stdout, /not in the offsite copy yet: 2 files/);
    assert.match(human.stdout, /its offsite copy is damaged: 1 file/);
  });

  it('--require-offsite frees only the verified ones; --no-require-offsite then frees the rest', async () => {
    const r = await runCli(['--json', 'free-up', '--yes', '--require-offsite', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Out).applied!.freed, 2);
    assert.deepEqual(fs.readdirSync(path.join(root, 'Trip')).sort(), ['damaged.jpg', 'gone.jpg', 'late.jpg']);
    const rest = await runCli(['--json', 'free-up', '--yes', '--no-require-offsite', root], { library, env });
    assert.equal((JSON.parse(rest.stdout) as Out).applied!.freed, 3);
    assert.deepEqual(fs.readdirSync(path.join(root, 'Trip')), []);
    assert.equal(parseLines<Row>((await runCli(['--json', 'ls'], { library })).stdout).length, 5, 'the library keeps all five');
  });
});

describe('Free up space --require-offsite: the three ways a source can be unsafe, side by side', () => {
  let s3: TestS3;
  after(async () => {
    await s3?.close();
  });

  it('a damaged library copy, a source edited after backup and a source whose offsite copy is missing are each kept with their reason; everything else is freed; albums unchanged', async () => {
    s3 = await startS3(['side']);
    const library = path.join(tempDir(), 'lib');
    const root = path.join(tempDir(), 'Photos');
    const env = { ...s3.env, SHOEBOX_REMOTE_PASSPHRASE: 'correct horse battery staple', XDG_DATA_HOME: path.join(tempDir(), 'data') };
    const files: Record<string, Buffer> = {};
    for (const n of ['fine1', 'fine2', 'fine3', 'rotten', 'edited', 'unpushed']) files[`${n.startsWith('fine') ? 'Summer' : 'Winter'}/${n}.jpg`] = await jpeg(`side-${n}`, 4000);
    writeTree(root, files);
    assert.equal((await runCli(['watch', 'add', root, '--mode', 'separate'], { library, env })).code, 0);
    assert.equal((await runCli(['remote', 'add', 's3://side/lib', '--endpoint', s3.endpoint], { library, env })).code, 0);
    assert.equal((await runCli(['remote', 'push'], { library, env })).code, 0);
    const rows = async () => parseLines<Row & { album: string }>((await runCli(['--json', 'ls'], { library })).stdout);
    const hashOf = async (n: string) => (await rows()).find((r) => r.name === n)!.hash;
    const names = deriveKeys(Buffer.from(fs.readFileSync(path.join(library, 'remotes/1.key'), 'utf8').trim(), 'base64')).names;
    fs.rmSync(s3.objectFile('side', blobObjectName('lib/', names, await hashOf('unpushed.jpg'))));
    const blob = blobPath(path.join(library, 'objects'), await hashOf('rotten.jpg'));
    const rot = fs.readFileSync(blob);
    rot[rot.length >> 1] = rot[rot.length >> 1]! ^ 0x01; // one flipped bit: same size, other bytes
    fs.writeFileSync(blob, rot);
    fs.appendFileSync(path.join(root, 'Winter/edited.jpg'), 'edited after backup');
    const albumsBefore = (await rows()).map((r) => `${r.album}/${r.name}`).sort();

    const r = await runCli(['--json', 'free-up', '--yes', '--require-offsite', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.equal(out.review.requireOffsite, true);
    assert.deepEqual(Object.fromEntries(out.kept.map((k) => [path.basename(k.path), k.reason])), { 'rotten.jpg': 'library-copy-damaged', 'edited.jpg': 'changed-since-backup', 'unpushed.jpg': 'not-offsite' });
    assert.equal(out.applied!.freed, 3);
    assert.deepEqual(fs.readdirSync(path.join(root, 'Summer')), [], 'everything else is freed');
    assert.deepEqual(fs.readdirSync(path.join(root, 'Winter')).sort(), ['edited.jpg', 'rotten.jpg', 'unpushed.jpg']);
    assert.deepEqual(fs.readdirSync(path.join(env.XDG_DATA_HOME, 'Trash/files')).sort(), ['fine1.jpg', 'fine2.jpg', 'fine3.jpg']);
    assert.deepEqual((await rows()).map((x) => `${x.album}/${x.name}`).sort(), albumsBefore, 'every library file stays in its album');
  });
});
