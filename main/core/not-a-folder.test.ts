import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/support/fixtures.js';
import { notAFolderOnPath } from './not-a-folder.js';

describe('what stands where a folder should be', () => {
  it('a file at the path or above it is named with what it is; a folder, or a path still to be created under one, is fine', () => {
    const root = tempDir();
    const file = path.join(root, 'photo.jpg');
    fs.writeFileSync(file, 'x');
    assert.deepEqual(notAFolderOnPath(file), { path: file, kind: 'a file' });
    assert.deepEqual(notAFolderOnPath(path.join(file, 'a', 'b')), { path: file, kind: 'a file' });
    assert.equal(notAFolderOnPath(root), null);
    assert.equal(notAFolderOnPath(path.join(root, 'new', 'deeper')), null);
  });

  it('a device is called a device', { skip: !fs.existsSync('/dev/null') && 'no /dev/null here' }, () => {
    assert.deepEqual(notAFolderOnPath('/dev/null'), { path: '/dev/null', kind: 'a device' });
  });
});
