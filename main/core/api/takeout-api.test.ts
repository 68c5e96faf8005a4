import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, tempDir } from '../../../test/support/fixtures.js';
import { writeZip } from '../../../test/support/zip-writer.js';
import { Engine } from '../engine.js';
import { silentLogger } from '../logger.js';
import { PrefsStore } from '../prefs/prefs-store.js';
import type { Result } from './contract.js';
import { ApiDispatcher } from './dispatcher.js';

describe('the window\'s upload of a Takeout export (issue #21)', () => {
  it('ZIPs dropped in a browser: the batch is planned as one export, and the summary and the info panel pass the contract with the sidecar\'s metadata', async () => {
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    const batch = tempDir();
    const G = 'Takeout/Google Photos/Trip_ Paris';
    writeZip(path.join(batch, 'takeout-001.zip'), [{ name: `${G}/a.jpg`, data: await jpeg('a') }]);
    writeZip(path.join(batch, 'takeout-002.zip'), [
      { name: `${G}/a.jpg.supplemental-metadata.json`, data: Buffer.from(JSON.stringify({ title: 'a.jpg', description: 'Seine', favorited: true, photoTakenTime: { timestamp: '1546300800' } })) },
      { name: `${G}/metadata.json`, data: Buffer.from(JSON.stringify({ title: 'Trip: Paris', date: { timestamp: '1' } })) },
    ]);
    const api = new ApiDispatcher(engine, { shell: 'browser', nativeDialogs: false, uploadUrl: '/upload/', uploadBatchDir: () => batch, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => undefined }, silentLogger);
    try {
      const s = (await api.call('upload.commitBatch', { batchId: 'ab'.repeat(16) })) as Result<'upload.commitBatch'>;
      assert.deepEqual([s.stored, s.import?.matched, s.import?.unmatchedSidecars], [1, 1, 0]);
      const album = engine.albums().find((a) => a.name === 'Trip: Paris')!;
      const fileId = engine.list('Trip: Paris')[0]!.fileId;
      assert.ok(album);
      const info = (await api.call('files.info', { fileId })) as Result<'files.info'>;
      assert.equal(info.metadata.takenAt?.source, 'takeout');
      assert.equal(info.metadata.takenAt?.instant, 1_546_300_800_000);
      assert.deepEqual(info.metadata.description, { value: 'Seine', source: 'takeout' });
      assert.deepEqual(info.metadata.favorite, { value: true, source: 'takeout' });
      assert.deepEqual(info.parts, []);
    } finally {
      await engine.close();
    }
  });
});
