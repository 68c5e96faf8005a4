import assert from 'node:assert/strict';
import os from 'node:os';
import { describe, it } from 'node:test';
import { libraryWriteError, ShoeboxError, toShoeboxError } from './errors.js';

const sysErr = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('errors from writing into the library', () => {
  it('a full disk, from the OS or from SQLite, says the disk is full and names the library', () => {
    for (const code of ['ENOSPC', 'EDQUOT', 'SQLITE_FULL']) {
      const e = libraryWriteError(sysErr(code), '/media/backup/lib');
      assert.equal(e.code, 'DISK_FULL', code);
      assert.match(e.userMessage, /\/media\/backup\/lib\) is full\. Free some space/);
    }
  });

  it('an extended SQLite I/O error on a disk with room left is an I/O error, not a full disk', () => {
    for (const code of ['SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_SHMSIZE', 'EIO']) {
      const e = libraryWriteError(sysErr(code, 'disk I/O error'), os.tmpdir());
      assert.equal(e.code, 'IO_ERROR', code);
      assert.match(e.userMessage, /reported an I\/O error\. Nothing already backed up was changed/);
    }
  });

  it('permissions and read-only disks say how to fix them; a ShoeboxError passes through', () => {
    assert.equal(libraryWriteError(sysErr('EACCES'), '/lib').code, 'LIBRARY_NOT_WRITABLE');
    assert.equal(libraryWriteError(sysErr('SQLITE_READONLY'), '/lib').code, 'LIBRARY_NOT_WRITABLE');
    // a read-only disk (a backup drive mounted so): how to get the photos out anyway
    assert.match(libraryWriteError(sysErr('EROFS'), '/media/backup/lib').userMessage, /\/media\/backup\/lib \(EROFS\).*copy the library folder to a writable disk and open the copy/);
    assert.doesNotMatch(libraryWriteError(sysErr('EACCES'), '/lib').userMessage, /copy the library folder/);
    const own = new ShoeboxError('PATH_NOT_FOUND', 'x');
    assert.equal(libraryWriteError(own, '/lib'), own);
  });

  it('a damaged catalog page becomes LIBRARY_CORRUPT with what to run; anything else carries no raw text', () => {
    const corrupt = toShoeboxError(sysErr('SQLITE_CORRUPT_INDEX', 'database disk image is malformed'));
    assert.equal(corrupt.code, 'LIBRARY_CORRUPT');
    assert.equal(corrupt.hint, 'Run `shoebox check --recover`.');
    const other = toShoeboxError(new TypeError('cannot read properties of undefined (reading "x")'));
    assert.equal(other.code, 'INTERNAL');
    assert.doesNotMatch(other.userMessage, /undefined/);
  });
});
