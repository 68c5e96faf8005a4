import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../../test/support/fixtures.js';
import { ApiDispatcher } from '../core/api/dispatcher.js';
import { Engine } from '../core/engine.js';
import { silentLogger } from '../core/logger.js';
import { PrefsStore } from '../core/prefs/prefs-store.js';
import { CALL_CHANNEL, registerIpc } from './ipc-bridge.js';
import { rendererIndexUrl } from './window-security.js';
describe('IPC bridge (main side), without Electron', () => {
    let engine;
    let handler;
    let stop;
    const index = rendererIndexUrl('/opt/shoebox/build/renderer');
    const from = (url) => ({ senderFrame: { url } });
    before(() => {
        engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
        const prefs = new PrefsStore(tempDir());
        const dispatcher = new ApiDispatcher(engine, { shell: 'electron', nativeDialogs: true, uploadUrl: null, prefs, applyLaunchAtStartup: () => undefined }, silentLogger);
        const fakeIpc = {
            handle: (channel, fn) => {
                assert.equal(channel, CALL_CHANNEL);
                handler = fn;
            },
            removeHandler: () => undefined,
        };
        stop = registerIpc(fakeIpc, dispatcher, index, () => []);
    });
    after(async () => {
        stop();
        await engine.close();
    });
    it('answers a valid call from the app\'s page', async () => {
        const r = (await handler(from(index), 'albums.list', {}));
        assert.equal(r.ok, true);
        assert.deepEqual(r.result.map((a) => a.name), ['Uncategorized']);
    });
    it('rejects every bad argument with a typed error, never an exception', async () => {
        const bad = [
            ['watches.add', { path: 42 }, 'INVALID_ARGUMENT'],
            ['watches.add', { path: '/x', mode: 'both' }, 'INVALID_ARGUMENT'],
            ['files.list', { albumId: -1, offset: 0, limit: 10 }, 'INVALID_ARGUMENT'],
            ['trash.restore', { fileIds: [] }, 'INVALID_ARGUMENT'],
            ['dedup.apply', { selections: [{ hash: 'not-a-hash', keep: 1, fileIds: [1, 2] }] }, 'INVALID_ARGUMENT'],
            ['prefs.set', { launchAtStartup: 'yes' }, 'INVALID_ARGUMENT'],
            ['status.get', { extra: 1 }, 'INVALID_ARGUMENT'],
            ['no.such.method', {}, 'INVALID_ARGUMENT'],
            [{ toString: 42 }, {}, 'INVALID_ARGUMENT'],
            ['watches.add', { path: '/definitely/not/here' }, 'PATH_NOT_FOUND'],
            ['watches.add', { path: 'relative/dir' }, 'INVALID_ARGUMENT'],
            ['upload.paths', { paths: ['a\0b'] }, 'INVALID_ARGUMENT'],
            ['watches.add', { path: '/proc' }, 'INVALID_ARGUMENT'],
            ['upload.paths', { paths: ['/sys/kernel'] }, 'INVALID_ARGUMENT'],
        ];
        for (const [method, params, code] of bad) {
            const r = (await handler(from(index), method, params));
            assert.equal(r.ok, false, JSON.stringify(params));
            assert.equal(r.error.code, code, `${typeof method === 'string' ? method : '(object)'} ${JSON.stringify(params)}: ${r.error.userMessage}`);
        }
    });
    it('drops calls from any frame that is not the app\'s page', async () => {
        for (const url of ['https://evil.example/', 'file:///tmp/other.html', '']) {
            const r = (await handler(from(url), 'status.get', {}));
            assert.deepEqual([r.ok, r.error.code], [false, 'FORBIDDEN']);
        }
    });
});
//# sourceMappingURL=ipc-bridge.test.js.map