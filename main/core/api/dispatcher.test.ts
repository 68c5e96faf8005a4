import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../../../test/support/fixtures.js';
import { Engine } from '../engine.js';
import { silentLogger } from '../logger.js';
import { PrefsStore } from '../prefs/prefs-store.js';
import { ApiDispatcher, invalidMessage } from './dispatcher.js';

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

describe('preferences and the log file through the API', () => {
  it('the desktop app shows where its log is and opens it; notifications can be switched off', async () => {
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    const opened: string[] = [];
    const api = new ApiDispatcher(engine, { shell: 'electron', nativeDialogs: true, uploadUrl: null, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => undefined, logFile: '/home/me/.local/state/shoebox/logs/shoebox.log', openLog: () => (opened.push('log'), Promise.resolve()) }, silentLogger);
    try {
      const p = (await api.call('prefs.get', {})) as { notifications: boolean; logFile: string | null };
      assert.equal(p.notifications, true, 'on by default');
      assert.equal(p.logFile, '/home/me/.local/state/shoebox/logs/shoebox.log');
      assert.equal(((await api.call('prefs.set', { notifications: false })) as { notifications: boolean }).notifications, false);
      assert.deepEqual(await api.call('shell.openLog', {}), { ok: true });
      assert.deepEqual(opened, ['log']);
    } finally {
      await engine.close();
    }
  });

  it('shoebox serve has no log file to show or open (its log is on stderr)', async () => {
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    const api = new ApiDispatcher(engine, { shell: 'browser', nativeDialogs: false, uploadUrl: null, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => undefined }, silentLogger);
    try {
      assert.equal(((await api.call('prefs.get', {})) as { logFile: string | null }).logFile, null);
      const r = await api.reply(1, 'shell.openLog', {});
      assert.ok(!r.ok && r.error.code === 'INVALID_ARGUMENT' && /shoebox serve/.test(r.error.userMessage));
    } finally {
      await engine.close();
    }
  });
});
describe('messages for people', () => {
  it('a bad argument names the value typed and what is wrong, not the method', () => {
    assert.equal(invalidMessage({ path: '~/Pictures' }, { path: ['path'], message: 'starts with ~, which is not expanded here: type the full path (like /home/you/Pictures)' }),
      '"~/Pictures" starts with ~, which is not expanded here: type the full path (like /home/you/Pictures).');
    assert.equal(invalidMessage({ passphrase: 'hunter2' }, { path: ['passphrase'], message: 'must be at least 8 characters' }), 'The passphrase must be at least 8 characters.', 'a secret is not repeated');
    assert.equal(invalidMessage({ albumId: 'x' }, { path: ['albumId'], message: 'Invalid input: expected number, received string' }), 'The album given was refused: Invalid input: expected number, received string.');
  });

  it('no internal field name or index reaches people: an empty folder field is named as the folder', () => {
    const empty = invalidMessage({ paths: [''] }, { path: ['paths', 0], message: "was left empty: type a folder's full path (like /home/you/Pictures)" });
    assert.equal(empty, "The folder was left empty: type a folder's full path (like /home/you/Pictures).");
    assert.equal(invalidMessage({ olderThan: 1.5 }, { path: ['olderThan'], message: 'is not a whole number of milliseconds' }), 'The date is not a whole number of milliseconds.');
    assert.equal(invalidMessage({ reviewId: 'zz' }, { path: ['reviewId'], message: 'Invalid string' }), 'The review given was refused: Invalid string.');
  });

  it('an unexpected failure reaches the window without its raw text', async () => {
    const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    const api = new ApiDispatcher(engine, { shell: 'browser', nativeDialogs: false, uploadUrl: null, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => { throw new Error('EACCES: /secret/path/autostart'); } }, silentLogger);
    try {
      const r = await api.reply(1, 'prefs.set', { launchAtStartup: true });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, 'INTERNAL');
        assert.doesNotMatch(r.error.userMessage, /secret|EACCES/);
      }
    } finally {
      await engine.close();
    }
  });
});
