import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../../../test/support/fixtures.js';
import { Engine } from '../engine.js';
import { silentLogger } from '../logger.js';
import { PrefsStore } from '../prefs/prefs-store.js';
import { ApiDispatcher } from './dispatcher.js';

describe('status events', () => {
  it('push on changes, and once stopped read nothing more (the library may be closing)', async () => {
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    const api = new ApiDispatcher(engine, { shell: 'browser', nativeDialogs: false, uploadUrl: null, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => undefined }, silentLogger);
    const seen: number[] = [];
    api.onEvent((e, d) => e === 'status' && seen.push((d as { files: number }).files));
    const stop = api.startStatusEvents(50);
    await sleep(120);
    assert.equal(seen.length, 1, 'the first status, then nothing while nothing changes');
    const folder = tempDir();
    await engine.addWatch(folder, {});
    engine.watches.setPaused(folder, true); // a change: a push is scheduled 100 ms later…
    stop(); // …and the shell stops right away, then closes the library
    const atStop = seen.length; // the interval may have pushed the added watch meanwhile (a loaded machine)
    await engine.close();
    await sleep(250); // a scheduled push reading the closed catalog would throw here (uncaught)
    assert.equal(seen.length, atStop, 'nothing is pushed after stop');
  });
});
