import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { jpeg, tempDir, waitFor } from '../../../test/support/fixtures.js';
import { ExifToolReader } from './exiftool-reader.js';

const reader = fileURLToPath(new URL('./exiftool-reader.js', import.meta.url));

/** The pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const stat = readStat(d);
    if (stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) kids.push(Number(d));
  }
  return kids;
}

function readStat(pid: string): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // it ended while we looked
  }
}

function alive(pid: number): boolean {
  const stat = readStat(String(pid));
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

describe('ExifTool outlives no one', { skip: process.platform === 'linux' ? false : 'looks at /proc (Linux)' }, () => {
  const dir = tempDir();
  const photo = path.join(dir, 'a.jpg');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a file through the guarded process, and close() ends ExifTool and its watcher', async () => {
    fs.writeFileSync(photo, await jpeg('exif-guard'));
    const r = new ExifToolReader();
    const facts = await r.read(photo, false);
    assert.equal(facts.width, 32);
    await r.close();
  });

  it('reads that start together share one ExifTool (one made per read leaked a process each)', async () => {
    fs.writeFileSync(photo, await jpeg('exif-guard'));
    const r = new ExifToolReader();
    const before = process.listenerCount('exit');
    try {
      const all = await Promise.all(Array.from({ length: 12 }, () => r.read(photo, false)));
      assert.ok(all.every((f) => f.width === 32));
      assert.equal(process.listenerCount('exit') - before, 1, 'one ExifTool (each registers one exit listener)');
    } finally {
      await r.close();
    }
  });

  it('a SIGKILLed owner leaves no ExifTool behind', async (t) => {
    fs.writeFileSync(photo, await jpeg('exif-guard'));
    // An owner process that starts ExifTool, says its pid, and waits to be killed.
    const code = `
      const { newExifTool } = await import(${JSON.stringify(reader)});
      const tool = await newExifTool({ maxProcs: 1 });
      await tool.read(${JSON.stringify(photo)});
      console.log(JSON.stringify(tool.pids));
      setInterval(() => {}, 1000);`;
    const owner = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => owner.kill('SIGKILL'));
    let out = '';
    owner.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const [tool] = await waitFor<number[] | null>(() => (out.includes('\n') ? (JSON.parse(out) as number[]) : null), 60_000, 'ExifTool started by the owner') ?? [];
    assert.ok(tool !== undefined && alive(tool), 'ExifTool runs');
    const watchers = childrenOf(tool);
    t.after(() => {
      for (const pid of [tool, ...watchers]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    });
    assert.equal(watchers.length, 1, 'one watcher beside ExifTool');
    owner.kill('SIGKILL');
    await waitFor(() => !alive(tool) && !alive(watchers[0]!), 30_000, 'ExifTool and its watcher to end after the owner was killed');
  });
});
