import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, tempDir, writeTree } from '../../../test/support/fixtures.js';
import { blobPath } from '../blobs/blob-store.js';
import { Engine } from '../engine.js';

const DAY = 86_400_000;
const engines: Engine[] = [];
after(async () => {
  for (const e of engines) await e.close();
});

/** A library with two photos in Trash, on a settable clock. */
async function trashedTwo(start: number) {
  const clock = { now: start };
  const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib'), now: () => clock.now, retryDelayMs: 1 });
  engines.push(engine);
  const src = tempDir();
  writeTree(src, { 'a.jpg': await jpeg('clock-a'), 'b.jpg': await jpeg('clock-b') });
  await engine.upload({ paths: [src] });
  const rows = engine.list();
  return { engine, clock, rows };
}

describe('Trash dates the purge trusts (issue #15 item 5)', () => {
  it('a file trashed while the clock read 1970 is kept 30 days from when the clock is right again', async () => {
    const { engine, clock, rows } = await trashedTwo(Date.UTC(2026, 5, 1));
    clock.now = 86_400_000; // the clock lost its battery: 2 January 1970
    engine.trash.trash(rows.map((r) => r.fileId), { forgetSources: true, reason: 'test' });
    assert.equal(engine.purgeTrash().files, 0, 'a clock reading 1970 purges nothing');
    clock.now = Date.UTC(2026, 5, 2); // fixed by NTP
    assert.equal(engine.purgeTrash().files, 0, 'the 1970 date is not trusted');
    assert.deepEqual(engine.trash.list().map((t) => t.trashedAt), [clock.now, clock.now], 're-stamped to now');
    clock.now += 29 * DAY;
    assert.equal(engine.purgeTrash().files, 0);
    clock.now += 2 * DAY;
    assert.equal(engine.purgeTrash().files, 2, '30 days after the trusted date');
    for (const r of rows) assert.equal(fs.existsSync(blobPath(engine.paths.objects, r.hash)), false);
  });

  it('a Trash date in the future is re-stamped to now, not purged when the clock comes back', async () => {
    const { engine, clock, rows } = await trashedTwo(Date.UTC(2026, 5, 1));
    clock.now = Date.UTC(2031, 0, 1); // the clock ran five years ahead
    engine.trash.trash([rows[0]!.fileId], { forgetSources: true, reason: 'test' });
    clock.now = Date.UTC(2026, 5, 3);
    assert.equal(engine.purgeTrash().files, 0);
    assert.equal(engine.trash.list()[0]!.trashedAt, clock.now);
    clock.now += 31 * DAY;
    assert.equal(engine.purgeTrash().files, 1);
  });

  it('a date before the library was created is not trusted either', async () => {
    const { engine, clock, rows } = await trashedTwo(Date.UTC(2026, 5, 1));
    clock.now = Date.UTC(2025, 0, 1); // plausible in itself, but before this library existed
    engine.trash.trash([rows[0]!.fileId], { forgetSources: true, reason: 'test' });
    clock.now = Date.UTC(2026, 5, 2);
    assert.equal(engine.purgeTrash().files, 0);
    assert.equal(engine.trash.list()[0]!.trashedAt, clock.now);
  });

  it('trash empty (everything, on request) does not depend on dates', async () => {
    const { engine, clock, rows } = await trashedTwo(Date.UTC(2026, 5, 1));
    clock.now = 0;
    engine.trash.trash(rows.map((r) => r.fileId), { forgetSources: true, reason: 'test' });
    assert.equal(engine.purgeTrash({ all: true }).files, 2);
  });
});
