import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideIngest, type IngestFacts } from './decide-ingest.js';

const base: IngestFacts = { hash: 'h', bytes: 'ok', records: [], ignored: false, albumId: 2, targetIsUncategorized: false, inTargetAlbum: undefined, elsewhere: undefined };

describe('decideIngest: parts of an item (RAW+JPEG pairs, XMP sidecars)', () => {
  it('a RAW joins its JPEG\'s file as its raw part', () => {
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: 5, partHash: undefined, shared: false } }), { action: 'part', fileId: 5, role: 'raw', replace: false });
  });
  it('the same RAW again is skipped (already the part)', () => {
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: 5, partHash: 'h', shared: false } }), { action: 'skip', fileId: 5 });
  });
  it('another RAW where the item has one, or a RAW whose JPEG is not in the library, is a file of its own', () => {
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: 5, partHash: 'other', shared: false } }), { action: 'create' });
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: undefined, partHash: undefined, shared: false } }), { action: 'create' });
  });
  it('a watched RAW edited in place (its record is of the part the item has) replaces that part: no file of its own, no new version', () => {
    const records = [{ id: 9, albumId: 2, fileId: 5, hash: 'older' }];
    assert.deepEqual(decideIngest({ ...base, records, part: { role: 'raw', fileId: 5, partHash: 'older', shared: false } }), { action: 'part', fileId: 5, role: 'raw', replace: true });
  });
  it('an edited XMP sidecar replaces the earlier one', () => {
    assert.deepEqual(decideIngest({ ...base, part: { role: 'xmp', fileId: 5, partHash: 'older', shared: false } }), { action: 'part', fileId: 5, role: 'xmp', replace: true });
  });
  it('an XMP sidecar whose photo is not in the library is not kept (never a library file of its own)', () => {
    assert.equal(decideIngest({ ...base, part: { role: 'xmp', fileId: undefined, partHash: undefined, shared: false } }).action, 'refuse');
  });
  it('a part where the photo joined a file other folders share, which has another part of that role from elsewhere: this folder\'s photo becomes an item of its own ([Note: Items apart])', () => {
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: 5, partHash: 'theirs', shared: true } }), { action: 'part', fileId: 5, role: 'raw', replace: false, split: true });
    assert.deepEqual(decideIngest({ ...base, part: { role: 'xmp', fileId: 5, partHash: 'theirs', shared: true } }), { action: 'part', fileId: 5, role: 'xmp', replace: false, split: true });
    assert.deepEqual(decideIngest({ ...base, liveImage: { fileId: 5, partHash: 'theirs', shared: true } }), { action: 'livePart', imageFileId: 5, split: true });
    const records = [{ id: 9, albumId: 2, fileId: 5, hash: 'theirs' }];
    assert.deepEqual(decideIngest({ ...base, records, part: { role: 'raw', fileId: 5, partHash: 'theirs', shared: true } }), { action: 'part', fileId: 5, role: 'raw', replace: true }, 'this path\'s own part, edited: replaced, as before');
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: 5, partHash: 'h', shared: true } }), { action: 'skip', fileId: 5 }, 'the same part: nothing apart');
    assert.deepEqual(decideIngest({ ...base, part: { role: 'raw', fileId: 5, partHash: undefined, shared: true } }), { action: 'part', fileId: 5, role: 'raw', replace: false }, 'no part yet: it joins');
  });
  it('missing bytes are stored before a part may point at them', () => {
    assert.deepEqual(decideIngest({ ...base, bytes: 'missing', part: { role: 'raw', fileId: 5, partHash: undefined, shared: false } }), { action: 'needBytes', replace: false });
  });
});

describe('decideIngest: moves', () => {
  const movedFrom = { id: 3, watchId: 1, path: '/w/old.jpg', albumId: 2, fileId: 5, hash: 'h', size: 1, mtimeMs: 1, ino: 1 } as unknown as NonNullable<IngestFacts['movedFrom']>;
  it('a watched file whose content left another recorded path moved: nothing is copied', () => {
    assert.deepEqual(decideIngest({ ...base, movedFrom }), { action: 'move', record: movedFrom });
  });
  it('a move onto missing or damaged bytes stores them first (the record would name bytes that are not there)', () => {
    assert.deepEqual(decideIngest({ ...base, movedFrom, bytes: 'missing' }), { action: 'needBytes', replace: false });
    assert.deepEqual(decideIngest({ ...base, movedFrom, bytes: 'damaged' }), { action: 'needBytes', replace: true });
  });
});
