import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { have } from './measure.js';

/** Size of the file system image (sparse): a tree of ~1.2 GB backed up by any of the tools, with room. */
const IMAGE_BYTES = 6 * 1024 ** 3;

/**
 * A freshly made ext4 file system for each tool run of the backup bench (as root, with
 * mkfs.ext4 and losetup): every tool writes into a file system nobody deleted from.
 *
 * Why: on ext4 without a journal (this project's build VMs), allocating an inode skips every
 * inode of its group freed in the last 5 minutes (the kernel's `recently_deleted`), one lookup
 * each. Removing one tool's 5,000-file output and then running the next on the same disk made
 * every file the next tool created cost thousands of lookups: `cp -r` + `sync` of the mixed tree
 * took 1.5–1.6 s on a fresh file system and 3.6–5.9 s on the bench's own disk right after a
 * removal, and the same few seconds were added to every tool, which flattered the slower one's
 * ratio (issue #18). The image is a sparse file in the bench folder on a loop device with direct
 * I/O (no second page cache), made with its inode tables written out (no lazy init running in
 * the background during a measurement).
 */
export class FreshDisk {
  private readonly image: string;
  readonly mountPoint: string;
  private device: string | null = null;

  private constructor(work: string) {
    this.image = path.join(work, 'fresh-disk.img');
    this.mountPoint = path.join(work, 'fresh-disk');
  }

  /** A fresh disk in `work`, or null where one cannot be made (not root, tools missing): then the bench writes into `work`. */
  static open(work: string): FreshDisk | null {
    if (process.getuid?.() !== 0 || !have('mkfs.ext4') || !have('losetup') || !have('mount')) return null;
    return new FreshDisk(work);
  }

  /** Makes the file system anew (whatever was on it is gone) and returns its mount point. */
  remake(): string {
    this.close();
    fs.rmSync(this.image, { force: true });
    fs.writeFileSync(this.image, '');
    fs.truncateSync(this.image, IMAGE_BYTES);
    run('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', this.image]);
    this.device = run('losetup', ['--direct-io=on', '--find', '--show', this.image]).trim();
    fs.mkdirSync(this.mountPoint, { recursive: true });
    run('mount', [this.device, this.mountPoint]);
    return this.mountPoint;
  }

  /** Unmounts and detaches (the image stays until the next remake or removeImage). */
  close(): void {
    if (this.device === null) return;
    run('umount', [this.mountPoint]);
    run('losetup', ['-d', this.device]);
    this.device = null;
  }

  /** Unmounts and removes the image. */
  dispose(): void {
    this.close();
    fs.rmSync(this.image, { force: true });
  }
}

/** An empty `name` on a freshly made file system (whatever the last one held is gone), or in `work` without a FreshDisk. */
export function freshPlace(disk: FreshDisk | null, work: string, name: string): string {
  const p = path.join(disk ? disk.remake() : work, name);
  fs.rmSync(p, { recursive: true, force: true });
  return p;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
