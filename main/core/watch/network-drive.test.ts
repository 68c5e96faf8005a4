import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { looksLikeNetworkDrive } from './network-drive.js';

const mounts = [
  '/dev/sda1 / ext4 rw,relatime 0 0',
  'server:/export /mnt/photos nfs4 rw 0 0',
  '/dev/sdb1 /mnt/photos/local ext4 rw 0 0',
  '//nas/share /media/me/My\\040Share cifs rw 0 0',
  '/dev/sdc1 /mnt/usb vfat rw 0 0',
].join('\n');

describe('network drive detection', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-mounts-'));
  const file = path.join(dir, 'mounts');
  fs.writeFileSync(file, mounts);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a folder under a network mount is a network drive; the longest mount point containing it decides', () => {
    assert.equal(looksLikeNetworkDrive('/mnt/photos/2024', file), true);
    assert.equal(looksLikeNetworkDrive('/mnt/photos', file), true);
    assert.equal(looksLikeNetworkDrive('/mnt/photos/local/2024', file), false, 'a local disk mounted inside the NFS share');
    assert.equal(looksLikeNetworkDrive('/mnt/photoshop', file), false, 'a sibling whose name starts the same');
  });

  it('a local disk under /mnt is not a network drive (the path alone does not say)', () => {
    assert.equal(looksLikeNetworkDrive('/mnt/usb/DCIM', file), false);
    assert.equal(looksLikeNetworkDrive('/home/me/Pictures', file), false);
  });

  it('mount points with escaped spaces, and UNC paths', () => {
    assert.equal(looksLikeNetworkDrive('/media/me/My Share/Pictures', file), true);
    assert.equal(looksLikeNetworkDrive('\\\\nas\\photos', file), true);
    assert.equal(looksLikeNetworkDrive('//nas/photos', file), true);
  });
});
