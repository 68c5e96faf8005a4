import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir, waitFor } from '../../../test/support/fixtures.js';
import { findCameraCards, mountRoots, watchCameraCards, type CameraCard } from './camera-cards.js';

/** Mounts a fresh tmpfs at `dir` (root only); false where that is not allowed. */
function mountAt(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  return process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'shoebox-card', dir]).status === 0;
}
const unmount = (dir: string) => spawnSync('umount', ['-l', dir]);

describe('camera cards ([Note: Camera cards])', () => {
  it('removable drives are looked for where desktop systems mount them', () => {
    assert.deepEqual(mountRoots('linux', 'me', {}), ['/run/media/me', '/media/me', '/media']);
    assert.deepEqual(mountRoots('darwin', 'me', {}), ['/Volumes']);
    assert.deepEqual(mountRoots('linux', 'me', { SHOEBOX_MOUNT_ROOTS: '/mnt/cards::/srv/usb' }), ['/mnt/cards', '/srv/usb'], 'SHOEBOX_MOUNT_ROOTS names other places');
  });

  it('a folder with DCIM that is not a mount point is not a card', async () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'NOT_A_DRIVE/DCIM'), { recursive: true });
    assert.deepEqual(await findCameraCards([root, path.join(root, 'missing')]), []);
  });

  it('a mounted drive with DCIM at its top is a card; one without is not; a watch announces only cards that appear later', { skip: process.getuid?.() === 0 ? false : 'needs root to mount a tmpfs' }, async (t) => {
    const root = tempDir();
    const card = path.join(root, 'EOS_DIGITAL');
    const stick = path.join(root, 'USB_STICK');
    const later = path.join(root, 'PHONE');
    if (!mountAt(card)) {
      t.skip('this machine does not let root mount a tmpfs (a container without CAP_SYS_ADMIN)');
      return;
    }
    try {
      assert.ok(mountAt(stick), 'a second tmpfs mounts where the first did');
      fs.mkdirSync(path.join(card, 'DCIM/100CANON'), { recursive: true });
      fs.mkdirSync(path.join(stick, 'Documents'));
      assert.deepEqual(await findCameraCards([root]), [{ path: card, name: 'EOS_DIGITAL' }]);
      const seen: CameraCard[] = [];
      const stop = watchCameraCards((c) => seen.push(c), { roots: [root], intervalMs: 20 });
      try {
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(seen, [], 'a card there from the start is not announced');
        assert.ok(mountAt(later));
        fs.mkdirSync(path.join(later, 'DCIM'));
        await waitFor(() => seen.length > 0, 10_000, 'the new card announced');
        assert.deepEqual(seen, [{ path: later, name: 'PHONE' }]);
      } finally {
        stop();
      }
    } finally {
      for (const d of [card, stick, later]) unmount(d);
    }
  });
});
