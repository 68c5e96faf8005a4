import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideFreeUp, type FreeUpPolicy, type RecordFacts, type SourceFacts, type SourceRead, type StoredCheck } from './decide-free-up.js';

const H = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const record = (over: Partial<RecordFacts> = {}): RecordFacts => ({ fileId: 7, hash: H, size: 100, mtimeMs: 5000, library: 'live', albumIds: [2], date: 1000, ...over });
const facts = (over: Partial<SourceFacts> = {}): SourceFacts => ({ size: 100, mtimeMs: 5000, records: [record()], ignored: false, nameIsMedia: true, ...over });
/** The source as read (its own file: device 1, inode 10, one name) and its library copy (another file). */
const read = (over: Partial<SourceRead> = {}): SourceRead => ({ hash: H, dev: 1, ino: 10, nlink: 1, ...over });
const storedOk: StoredCheck = { state: 'ok', dev: 1, ino: 20 };
const verified = (over: Partial<SourceFacts> = {}): SourceFacts =>
  facts({ sourceHash: read(), libraryBytes: { [H]: storedOk }, offsite: { state: 'verified' }, folderRefusal: null, trashRefusal: null, ...over });
const policy = (over: Partial<FreeUpPolicy> = {}): FreeUpPolicy => ({ requireOffsite: false, olderThan: null, albumIds: null, useTrash: true, ...over });

describe('decideFreeUp (DESIGN §11)', () => {
  it('a source verified on every count is freed, naming its library file', () => {
    assert.deepEqual(decideFreeUp(verified(), policy({ requireOffsite: true })), { kind: 'free', fileId: 7, hash: H });
  });

  it('a file never backed up from this path is kept (not backed up), or, when its name is no photo\'s or video\'s, as not a photo or video', () => {
    assert.deepEqual(decideFreeUp(facts({ records: [] }), policy()), { kind: 'keep', reason: 'not-backed-up' });
    assert.deepEqual(decideFreeUp(facts({ records: [], nameIsMedia: false }), policy()), { kind: 'keep', reason: 'not-media' });
  });

  it('a file whose library copy the person deleted is kept with that reason', () => {
    assert.deepEqual(decideFreeUp(facts({ records: [], ignored: true }), policy()), { kind: 'keep', reason: 'deleted-from-library' });
  });

  it('a source whose size or modification time changed since backup is kept without reading any bytes', () => {
    assert.equal(decideFreeUp(facts({ size: 101 }), policy()).kind, 'keep');
    const step = decideFreeUp(facts({ mtimeMs: 5001 }), policy());
    assert.equal(step.kind === 'keep' && step.reason, 'changed-since-backup');
  });

  it('the source is read before anything else is read', () => {
    assert.deepEqual(decideFreeUp(facts(), policy({ requireOffsite: true })), { kind: 'read-source' });
  });

  it('a source edited in place with its date kept (same size and date, other bytes) is kept as changed since backup', () => {
    const step = decideFreeUp(facts({ sourceHash: read({ hash: OTHER }) }), policy());
    assert.equal(step.kind === 'keep' && step.reason, 'changed-since-backup');
  });

  it('a source that cannot be read, or vanished, is kept with that reason', () => {
    const a = decideFreeUp(facts({ sourceHash: { problem: 'unreadable', message: 'EACCES' } }), policy());
    const b = decideFreeUp(facts({ sourceHash: { problem: 'gone', message: 'gone' } }), policy());
    assert.deepEqual([a.kind === 'keep' && a.reason, b.kind === 'keep' && b.reason], ['unreadable', 'gone']);
  });

  it('the stored bytes are re-hashed once the source matched, and a damaged or missing library copy keeps the source', () => {
    assert.deepEqual(decideFreeUp(facts({ sourceHash: read() }), policy()), { kind: 'read-library', hash: H });
    const damaged = decideFreeUp(facts({ sourceHash: read(), libraryBytes: { [H]: { state: 'damaged', why: 'the library copy is a symbolic link to /x, not stored bytes' } } }), policy());
    const missing = decideFreeUp(facts({ sourceHash: read(), libraryBytes: { [H]: { state: 'missing', why: 'its library copy is missing' } } }), policy());
    assert.deepEqual([damaged.kind === 'keep' && damaged.reason, missing.kind === 'keep' && missing.reason], ['library-copy-damaged', 'library-copy-missing']);
    assert.match(damaged.kind === 'keep' ? damaged.detail! : '', /^the library copy is a symbolic link to \/x, not stored bytes; keep this original: backing it up again/);
  });

  it('a library copy that is the source file itself (same device and inode) keeps the source, before the hard-link count', () => {
    const same = decideFreeUp(verified({ sourceHash: read({ nlink: 2 }), libraryBytes: { [H]: { state: 'ok', dev: 1, ino: 10 } } }), policy());
    assert.equal(same.kind === 'keep' && same.reason, 'same-file');
    const other = decideFreeUp(verified({ libraryBytes: { [H]: { state: 'ok', dev: 2, ino: 10 } } }), policy());
    assert.equal(other.kind, 'free', 'the same inode number on another device is another file');
  });

  it('a source with other hard links is kept: freeing one name frees no space', () => {
    const step = decideFreeUp(verified({ sourceHash: read({ nlink: 3 }) }), policy());
    assert.deepEqual(step, { kind: 'keep', reason: 'hard-linked', detail: 'it has other hard links (3 names); freeing this one frees no space' });
  });

  it('a library copy only in Shoebox\'s Trash, or gone from the catalog, keeps the source without reading it', () => {
    const trashed = decideFreeUp(facts({ records: [record({ library: 'trashed' })] }), policy());
    const gone = decideFreeUp(facts({ records: [record({ library: 'missing' })] }), policy());
    assert.deepEqual([trashed.kind === 'keep' && trashed.reason, gone.kind === 'keep' && gone.reason], ['library-copy-in-trash', 'library-copy-missing']);
  });

  it('with the offsite copy required, it is verified last of the copies; a missing, damaged or unreachable one keeps the source', () => {
    assert.deepEqual(decideFreeUp(verified({ offsite: undefined }), policy({ requireOffsite: true })), { kind: 'read-offsite', hash: H });
    const reasons = (['not-pushed', 'missing', 'damaged', 'unreachable'] as const).map((state) => {
      const s = decideFreeUp(verified({ offsite: { state, message: state } }), policy({ requireOffsite: true }));
      return s.kind === 'keep' && s.reason;
    });
    assert.deepEqual(reasons, ['not-offsite', 'not-offsite', 'offsite-damaged', 'offsite-unreachable']);
  });

  it('without the offsite copy required, the remote is never asked', () => {
    assert.deepEqual(decideFreeUp(verified({ offsite: undefined }), policy()), { kind: 'free', fileId: 7, hash: H });
  });

  it('a source whose folder will not let it go (a read-only card) is kept before the Trash is asked, when deleting too', () => {
    for (const useTrash of [true, false]) {
      assert.deepEqual(decideFreeUp(verified({ folderRefusal: undefined, trashRefusal: undefined }), policy({ useTrash })), { kind: 'ask-folder' });
      const kept = decideFreeUp(verified({ folderRefusal: 'its folder /card is on a read-only drive', trashRefusal: undefined }), policy({ useTrash }));
      assert.deepEqual(kept, { kind: 'keep', reason: 'cannot-move', detail: 'its folder /card is on a read-only drive' });
    }
  });

  it('a source with no Trash to go to is kept, unless deleting was chosen', () => {
    assert.deepEqual(decideFreeUp(verified({ trashRefusal: undefined }), policy()), { kind: 'ask-trash' });
    const refused = decideFreeUp(verified({ trashRefusal: 'read-only drive' }), policy());
    assert.deepEqual(refused, { kind: 'keep', reason: 'no-trash', detail: 'read-only drive' });
    assert.equal(decideFreeUp(verified({ trashRefusal: undefined }), policy({ useTrash: false })).kind, 'free');
  });

  it('of several records (one per album), one that matches on every count is enough', () => {
    const f = verified({ records: [record({ hash: OTHER, fileId: 3 }), record({ fileId: 9 })] });
    assert.deepEqual(decideFreeUp(f, policy()), { kind: 'free', fileId: 9, hash: H });
  });

  it('the date filter leaves newer files out (not listed); a file never backed up is dated by its modification time', () => {
    assert.deepEqual(decideFreeUp(verified(), policy({ olderThan: 1000 })), { kind: 'out-of-scope' });
    assert.equal(decideFreeUp(verified(), policy({ olderThan: 1001 })).kind, 'free');
    assert.deepEqual(decideFreeUp(facts({ records: [] }), policy({ olderThan: 5000 })), { kind: 'out-of-scope' });
    assert.equal(decideFreeUp(facts({ records: [] }), policy({ olderThan: 5001 })).kind, 'keep');
  });

  it('the album filter keeps only files in a chosen album in scope (a file never backed up is in none)', () => {
    assert.deepEqual(decideFreeUp(verified(), policy({ albumIds: [3] })), { kind: 'out-of-scope' });
    assert.equal(decideFreeUp(verified(), policy({ albumIds: [3, 2] })).kind, 'free');
    assert.deepEqual(decideFreeUp(facts({ records: [] }), policy({ albumIds: [2] })), { kind: 'out-of-scope' });
  });
});
