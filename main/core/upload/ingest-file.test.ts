import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, tempDir } from '../../../test/support/fixtures.js';
import { filesUnder } from '../../../test/support/verify-library.js';
import { blobPath } from '../blobs/blob-store.js';
import { ingestFile } from './ingest-batch.js';

function setup() {
  const root = tempDir();
  const dirs = { tmpDir: path.join(root, 'tmp'), objectsDir: path.join(root, 'objects') };
  fs.mkdirSync(dirs.tmpDir);
  fs.mkdirSync(dirs.objectsDir);
  return { root, ...dirs };
}

describe('ingestFile', () => {
  it('copy mode stores the exact bytes under their SHA-256 and leaves no temp file', async () => {
    const { root, tmpDir, objectsDir } = setup();
    const bytes = await jpeg('a', 3 << 20); // several chunks
    const src = path.join(root, 'a.jpg');
    fs.writeFileSync(src, bytes);
    const res = await ingestFile({ path: src, tmpDir, objectsDir, mode: 'copy' });
    const want = createHash('sha256').update(bytes).digest('hex');
    assert.equal(res.kind, 'hashed');
    assert.equal(res.kind === 'hashed' && res.hash, want);
    assert.equal(res.kind === 'hashed' && res.mediaType, 'image/jpeg');
    assert.deepEqual(fs.readFileSync(blobPath(objectsDir, want)), bytes);
    assert.deepEqual(filesUnder(tmpDir), []);
  });

  it('hash mode reads without writing anything', async () => {
    const { root, tmpDir, objectsDir } = setup();
    const src = path.join(root, 'b.jpg');
    fs.writeFileSync(src, await jpeg('b'));
    const res = await ingestFile({ path: src, tmpDir, objectsDir, mode: 'hash' });
    assert.equal(res.kind === 'hashed' && res.stored, false);
    assert.deepEqual(fs.readdirSync(objectsDir), []);
  });

  it('a source that grows while being read is reported as changed and no blob is placed', async () => {
    const { root, tmpDir, objectsDir } = setup();
    const src = path.join(root, 'c.jpg');
    fs.writeFileSync(src, await jpeg('c', 2 << 20));
    const res = await ingestFile({ path: src, tmpDir, objectsDir, mode: 'copy' }, { afterChunk: () => fs.appendFileSync(src, 'more') });
    assert.deepEqual(res, { kind: 'failed', code: 'SOURCE_CHANGED', message: 'changed while it was being read' });
    assert.deepEqual(fs.readdirSync(objectsDir), []);
    assert.deepEqual(filesUnder(tmpDir), []);
  });

  it('a hash that differs from the expected one means the source changed', async () => {
    const { root, tmpDir, objectsDir } = setup();
    const src = path.join(root, 'd.jpg');
    fs.writeFileSync(src, await jpeg('d'));
    const res = await ingestFile({ path: src, tmpDir, objectsDir, mode: 'copy', expectedHash: 'f'.repeat(64) });
    assert.equal(res.kind === 'failed' && res.code, 'SOURCE_CHANGED');
  });

  // A copy is made durable, then read back from the device and hashed again (DESIGN §8): one
  // that differs from the bytes hashed, by a byte or in length, is never placed.
  for (const [label, size, damage] of [
    ['a small file whose copy has a byte flipped', 200 << 10, flipByte],
    ['a small file whose copy gained a byte', 200 << 10, (f: string) => fs.appendFileSync(f, 'x')],
    ['a small file whose copy lost its last byte', 200 << 10, (f: string) => fs.truncateSync(f, fs.statSync(f).size - 1)],
    ['a file of exactly one chunk whose copy gained a byte', 1 << 20, (f: string) => fs.appendFileSync(f, 'x')],
    ['a large file whose copy has a byte flipped', 3 << 20, flipByte],
  ] as const) {
    it(`${label} does not verify: nothing is placed and the file will be retried`, async () => {
      const { root, tmpDir, objectsDir } = setup();
      const src = path.join(root, 'v.jpg');
      const bytes = (await jpeg('v', size)).subarray(0, size); // a JPEG's start is enough to be taken for one
      fs.writeFileSync(src, bytes);
      const damaged: string[] = [];
      const res = await ingestFile({ path: src, tmpDir, objectsDir, mode: 'copy' }, { beforeVerify: (f) => (damage(f), damaged.push(f)) });
      assert.equal(damaged.length, 1);
      assert.deepEqual(res, { kind: 'failed', code: 'IO_ERROR', message: 'was copied into the library but the copy did not verify; it will be retried' });
      assert.deepEqual(filesUnder(objectsDir), []);
      assert.deepEqual(filesUnder(tmpDir), []);
      assert.deepEqual(fs.readFileSync(src), bytes); // the source is untouched
    });
  }

  it('refuses files over the size limit without reading them', async () => {
    const { root, tmpDir, objectsDir } = setup();
    const src = path.join(root, 'big.jpg');
    fs.writeFileSync(src, await jpeg('big'));
    const res = await ingestFile({ path: src, tmpDir, objectsDir, mode: 'copy', maxBytes: 100 });
    assert.equal(res.kind === 'failed' && res.code, 'FILE_TOO_LARGE');
  });

  it('reports an empty photo, ignores other empty files, and reports a vanished one', async () => {
    const { root, tmpDir, objectsDir } = setup();
    fs.writeFileSync(path.join(root, 'empty.jpg'), '');
    fs.writeFileSync(path.join(root, 'empty.txt'), '');
    assert.equal((await ingestFile({ path: path.join(root, 'empty.jpg'), tmpDir, objectsDir, mode: 'copy' })).kind, 'failed');
    assert.equal((await ingestFile({ path: path.join(root, 'empty.txt'), tmpDir, objectsDir, mode: 'copy' })).kind, 'ignored');
    assert.deepEqual(await ingestFile({ path: path.join(root, 'gone.jpg'), tmpDir, objectsDir, mode: 'copy' }), { kind: 'vanished' });
  });
});

/** Flips one byte in the middle of a file, in place. */
function flipByte(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    const at = Math.floor(fs.fstatSync(fd).size / 2);
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    fs.writeSync(fd, b, 0, 1, at);
  } finally {
    fs.closeSync(fd);
  }
}
