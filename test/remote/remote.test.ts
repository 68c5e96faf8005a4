// The offsite remote against a real S3 server on loopback (s3rver), issue #10.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runKilled } from '../support/crash-kit.js';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { startS3, type TestS3 } from '../support/s3-server.js';

const PASS = 'correct horse battery staple';

function listTree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  walk(root);
  return out;
}

function s3Objects(s3: TestS3, bucket: string): string[] {
  const out: string[] = [];
  const base = path.join(s3.dir, bucket);
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('._S3rver_object')) out.push(path.relative(base, p).replace(/\._S3rver_object$/, ''));
    }
  };
  if (fs.existsSync(base)) walk(base);
  return out.sort();
}

describe('offsite remote (S3, encrypted)', () => {
  let s3: TestS3;
  let env: NodeJS.ProcessEnv;
  const library = path.join(tempDir(), 'lib');
  const files: Record<string, Buffer> = {};
  let recoveryKey = '';

  before(async () => {
    s3 = await startS3(['photos', 'other']);
    env = { ...s3.env, SHOEBOX_REMOTE_PASSPHRASE: PASS };
    const src = path.join(tempDir(), 'Photos');
    for (let i = 0; i < 20; i++) files[`Trip/IMG_${i}.jpg`] = await jpeg(`remote-${i}`, 20_000);
    files['Trip/video.mov'] = Buffer.concat([await jpeg('remote-big'), Buffer.alloc(26 * 1024 * 1024, 9)]); // multipart: 4 parts
    writeTree(src, files);
    assert.equal((await runCli(['upload', path.join(src, 'Trip')], { library })).code, 0);
  });
  after(async () => {
    await s3?.close();
  });

  it('add: a new remote gets keys and a recovery key; bad locations are clear errors, the library unaffected', async () => {
    const missing = await runCli(['remote', 'add', 's3://nosuchbucket/x', '--endpoint', s3.endpoint], { library, env });
    assert.equal(missing.code, 7);
    assert.match(missing.stderr, /bucket of s3:\/\/nosuchbucket\/x\/ .* does not exist/);
    // s3rver accepts any credentials, so "access denied" comes from a loopback endpoint that
    // answers every request the way S3 does for a key without permission.
    const deniedServer = http.createServer((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
    });
    await new Promise<void>((r) => deniedServer.listen(0, '127.0.0.1', () => r()));
    const deniedAt = `http://127.0.0.1:${(deniedServer.address() as import('node:net').AddressInfo).port}`;
    const denied = await runCli(['remote', 'add', 's3://photos/x', '--endpoint', deniedAt], { library, env });
    deniedServer.close();
    assert.equal(denied.code, 7, denied.stderr);
    assert.match(denied.stderr, /Access to s3:\/\/photos\/x\/ .* was denied: check the credentials/);
    const down = await runCli(['remote', 'add', 's3://photos/x', '--endpoint', 'http://127.0.0.1:9'], { library, env });
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /Cannot reach s3:\/\/photos\/x\/ at http:\/\/127\.0\.0\.1:9/);
    const r = await runCli(['--json', 'remote', 'add', 's3://photos/backup', '--endpoint', s3.endpoint], { library, env });
    assert.equal(r.code, 0, r.stderr);
    recoveryKey = (JSON.parse(r.stdout) as { recoveryKey: string }).recoveryKey;
    assert.match(recoveryKey, /^([A-Z2-9]{4}-){12}[A-Z2-9]{4}$/);
    assert.equal((await runCli(['status'], { library })).code, 0);
  });

  it('a pusher killed in the middle of a multipart upload resumes it: no duplicate or orphan objects', async () => {
    // Killed by construction right after its 2nd of 4 parts was stored and recorded (issue #15).
    const r = await runKilled(['remote', 'push'], { library, env, plan: { kind: 'point', point: 'remote-part', step: 2 } });
    assert.ok(r.landed, `killed after part 2 (exit ${r.code}, signal ${r.signal}): ${r.stderr.slice(-300)}`);
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
    const row = db.prepare('SELECT parts FROM remote_uploads').get() as { parts: string } | undefined;
    db.close();
    assert.deepEqual(Object.keys(JSON.parse(row?.parts ?? '{}') as object), ['1', '2'], 'killed mid-upload with parts 1 and 2 of 4 recorded');
    const again = await runCli(['--json', 'remote', 'push'], { library, env });
    assert.equal(again.code, 0, again.stderr);
    const objects = s3Objects(s3, 'photos');
    const blobs = objects.filter((o) => o.startsWith('backup/blobs/'));
    assert.equal(blobs.length, 21, 'one object per stored content, no duplicates');
    assert.equal(new Set(blobs).size, blobs.length);
    assert.ok(objects.includes('backup/shoebox-keys.json') && objects.includes('backup/catalog/latest.enc'));
    assert.equal(objects.filter((o) => o.startsWith('backup/catalog/snapshot-')).length, 1);
    const check = await runCli(['--json', 'remote', 'check', 's3://photos/backup', '--read-data'], { library, env });
    assert.equal(check.code, 0, check.stdout);
    assert.deepEqual(JSON.parse(check.stdout), { expected: 21, missing: [], extra: [], damaged: [] });
    const status = JSON.parse((await runCli(['--json', 'remote', 'ls'], { library, env })).stdout) as Array<{ openUploads: number; pendingBlobs: number }>;
    assert.deepEqual([status[0]!.openUploads, status[0]!.pendingBlobs], [0, 0]);
  });

  it('leaks nothing: object names are keyed hashes, contents are ciphertext', () => {
    const hashes = new Set((new Database(path.join(library, 'catalog.sqlite'), { readonly: true }).prepare('SELECT hash FROM blobs').all() as { hash: string }[]).map((h) => h.hash));
    for (const o of s3Objects(s3, 'photos')) {
      for (const h of hashes) assert.ok(!o.includes(h) && !o.includes(h.slice(0, 16)), `${o} reveals a content hash`);
      assert.ok(!/IMG_|Trip|\.jpg/.test(o), `${o} reveals a name`);
      if (o.endsWith('.json')) continue;
      const bytes = fs.readFileSync(s3.objectFile('photos', o));
      assert.equal(bytes.subarray(0, 4).toString(), 'SBX1');
      assert.equal(bytes.includes(Buffer.from('shoebox-fixture:')), false, `${o} holds plaintext (a fixture's comment text)`);
      assert.equal(bytes.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])), false);
    }
  });

  it('a new machine rebuilds the whole library from the remote alone; its export is byte-identical', async () => {
    const originalExport = path.join(tempDir(), 'export-original');
    assert.equal((await runCli(['export', '--all', originalExport], { library })).code, 0);
    const wrong = path.join(tempDir(), 'nope');
    const bad = await runCli(['remote', 'restore', 's3://photos/backup', '--endpoint', s3.endpoint, '--to', wrong], { library: path.join(tempDir(), 'unused'), env: { ...env, SHOEBOX_REMOTE_PASSPHRASE: 'not the passphrase' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Wrong passphrase for this remote\. Nothing was read or written/);
    assert.equal(fs.existsSync(wrong), false, 'nothing written');
    const fresh = path.join(tempDir(), 'new-machine', 'library');
    const r = await runCli(['--json', 'remote', 'restore', 's3://photos/backup', '--endpoint', s3.endpoint, '--to', fresh, '--recovery-key'], { library: fresh, env: { ...s3.env, SHOEBOX_RECOVERY_KEY: recoveryKey.toLowerCase() } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { blobs: number }).blobs, 21);
    const rebuiltExport = path.join(tempDir(), 'export-rebuilt');
    assert.equal((await runCli(['export', '--all', rebuiltExport], { library: fresh })).code, 0);
    const a = listTree(originalExport);
    const b = listTree(rebuiltExport);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    for (const [k, v] of a) assert.ok(v.equals(b.get(k)!), k);
    assert.deepEqual((JSON.parse((await runCli(['--json', 'check', '--read-data'], { library: fresh })).stdout) as { problems: unknown[] }).problems, []);
  });

  it('purging Trash deletes the remote copies of the bytes it frees', async () => {
    const rows = (await runCli(['--json', 'ls'], { library })).stdout.trim().split('\n').map((l) => JSON.parse(l) as { fileId: number; name: string });
    const victim = rows.find((r) => r.name === 'IMG_3.jpg')!;
    const before = s3Objects(s3, 'photos').filter((o) => o.startsWith('backup/blobs/')).length;
    assert.equal((await runCli(['rm', String(victim.fileId)], { library })).code, 0);
    assert.equal((await runCli(['trash', 'empty', '--yes'], { library })).code, 0);
    const push = JSON.parse((await runCli(['--json', 'remote', 'push'], { library, env })).stdout) as { deleted: number };
    assert.equal(push.deleted, 1);
    assert.equal(s3Objects(s3, 'photos').filter((o) => o.startsWith('backup/blobs/')).length, before - 1);
  });

  it('a byte flipped in a remote object is caught by authentication and named', async () => {
    const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true });
    const row = db.prepare(`SELECT o.object, f.name FROM remote_objects o JOIN files f ON f.blob_hash = o.blob_hash WHERE f.name = 'IMG_7.jpg'`).get() as { object: string; name: string };
    db.close();
    const file = s3.objectFile('photos', row.object);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 40]! ^= 0x01;
    fs.writeFileSync(file, bytes);
    const check = await runCli(['remote', 'check', 's3://photos/backup', '--read-data'], { library, env });
    assert.equal(check.code, 5);
    assert.match(check.stdout, /damaged: IMG_7\.jpg failed authentication/);
    const fresh = path.join(tempDir(), 'rebuild-2');
    const r = await runCli(['remote', 'restore', 's3://photos/backup', '--endpoint', s3.endpoint, '--to', fresh], { library: fresh, env });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /IMG_7\.jpg failed authentication/);
  });

  it('damaged local bytes are not pushed over the offsite copy: the push names them and status shows them', async () => {
    const src = path.join(tempDir(), 'Late');
    const bytes = await jpeg('remote-late', 30_000);
    writeTree(src, { 'late.jpg': bytes });
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const hash = (JSON.parse((await runCli(['--json', 'ls', 'Late'], { library })).stdout) as { hash: string }).hash;
    const blob = path.join(library, 'objects', hash.slice(0, 2), hash);
    const bad = Buffer.from(bytes);
    bad[100] = bad[100]! ^ 0xff;
    fs.writeFileSync(blob, bad);
    const before = s3Objects(s3, 'photos').length;
    const push = JSON.parse((await runCli(['--json', 'remote', 'push'], { library, env })).stdout) as { failed: Array<{ hash: string; message: string }> };
    assert.deepEqual(push.failed.map((f) => f.hash), [hash]);
    assert.match(push.failed[0]!.message, /damaged/);
    assert.equal(s3Objects(s3, 'photos').length, before + 1, 'only the catalog snapshot went up');
    const status = await runCli(['--json', 'status'], { library });
    assert.equal(status.code, 0, `status: ${status.stdout} ${status.stderr}`);
    assert.equal((JSON.parse(status.stdout) as { damagedBytes: number }).damagedBytes, 1, status.stdout);
  });
});
