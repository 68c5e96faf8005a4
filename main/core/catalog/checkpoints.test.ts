import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { createLogger } from '../logger.js';
import { CatalogDb } from './catalog.js';
import { CheckpointScheduler, checkpointCatalog } from './checkpoints.js';
import { openDatabase } from './sqlite-binding.js';

const walSize = (cdb: CatalogDb) => fs.statSync(`${cdb.file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

/** Commits about `bytes` of activity rows, a row per transaction batch of 100. */
function writeRows(cdb: CatalogDb, bytes: number, tag: string): void {
  const ins = cdb.db.prepare(`INSERT INTO activity (at, level, code, path, message) VALUES (0, 'info', 'T', ?, ?)`);
  for (let done = 0; done < bytes; done += 100 * 1000) cdb.write(() => { for (let i = 0; i < 100; i++) ins.run(tag, 'x'.repeat(1000)); });
}

describe('catalog checkpoints off the main thread', () => {
  it('the engine connection never checkpoints inside its own commits; a worker does, once the catalog changed', async () => {
    const cdb = CatalogDb.open(path.join(tempDir(), 'catalog.sqlite'));
    const runs: number[] = [];
    const scheduler = new CheckpointScheduler(cdb, (task) => {
      const r = checkpointCatalog(task); // on a connection of its own, as in a worker
      runs.push(r.checkpointed);
      return Promise.resolve(r);
    }, createLogger(() => undefined), 60_000);
    try {
      scheduler.start();
      scheduler.check();
      assert.equal(runs.length, 0, 'nothing written, nothing to do');
      writeRows(cdb, 12 << 20, 'a'); // SQLite alone would have checkpointed (and restarted the WAL) every 4 MB on the way
      assert.ok(walSize(cdb) >= 12 << 20, `the WAL kept everything (${walSize(cdb)} bytes): no checkpoint in a commit`);
      scheduler.check();
      await scheduler.stop(); // waits for the checkpoint under way
      assert.equal(runs.length, 1);
      assert.ok(runs[0]! > 3000, `the worker copied the frames into the catalog file (${runs[0]})`);
      scheduler.start();
      scheduler.check();
      assert.equal(runs.length, 1, 'nothing new since');
      writeRows(cdb, 1, 'b');
      scheduler.check();
      await scheduler.stop();
      assert.equal(runs.length, 2, 'a new commit, a new checkpoint');
      const reader = openDatabase(cdb.file, { readonly: true });
      assert.equal((reader.prepare(`SELECT COUNT(*) AS n FROM activity WHERE code = 'T'`).get() as { n: number }).n, 100 * Math.ceil((12 << 20) / 100_000) + 100);
      reader.close();
    } finally {
      await scheduler.stop();
      cdb.close();
    }
  });

  it('a worker that cannot checkpoint hands checkpoints back to SQLite, with one warning', async () => {
    const cdb = CatalogDb.open(path.join(tempDir(), 'catalog.sqlite'));
    const warnings: string[] = [];
    let calls = 0;
    const scheduler = new CheckpointScheduler(cdb, () => {
      calls++;
      return Promise.reject(new Error('no worker thread'));
    }, createLogger((level, _scope, message) => { if (level === 'warn') warnings.push(message); }), 60_000);
    try {
      scheduler.start();
      assert.equal(cdb.db.pragma('wal_autocheckpoint', { simple: true }), 0);
      writeRows(cdb, 1, 'a');
      scheduler.check();
      await new Promise((r) => setImmediate(r)); // the rejection is handled
      assert.equal(cdb.db.pragma('wal_autocheckpoint', { simple: true }), 1000, "SQLite's own checkpoints are back");
      scheduler.check();
      assert.equal(calls, 1, 'no more attempts');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /checkpoints could not run in a worker/);
    } finally {
      await scheduler.stop();
      cdb.close();
    }
  });
});
