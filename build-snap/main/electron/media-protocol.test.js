// The desktop window's media scheme, tested under Node with the real engine (no Electron needed:
// the handler takes a fetch Request and gives a Response).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir, writeTree } from '../../test/support/fixtures.js';
import { photo } from '../../test/support/media-fixtures.js';
import { Engine } from '../core/engine.js';
import { silentLogger } from '../core/logger.js';
import { MEDIA_BASE, MEDIA_SCHEME, handleMediaRequest, registerMediaProtocol } from './media-protocol.js';
describe('shoebox-media:// (the desktop window\'s media)', () => {
    let engine;
    let id;
    let bytes;
    before(async () => {
        const root = tempDir();
        bytes = await photo(300, 200, '2024:01:02 03:04:05');
        writeTree(root, { 'Trip/a.jpg': bytes });
        engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
        await engine.upload({ paths: [path.join(root, 'Trip')] });
        id = engine.list()[0].fileId;
    });
    after(() => engine.close());
    const get = (url, headers = {}) => handleMediaRequest(engine.media, new Request(url, { headers }), silentLogger);
    it('serves an original by file id, whole or by range', async () => {
        const whole = await get(`${MEDIA_BASE}original/${id}`);
        assert.equal(whole.status, 200);
        assert.equal(whole.headers.get('content-type'), 'image/jpeg');
        assert.deepEqual(Buffer.from(await whole.arrayBuffer()), bytes);
        const part = await get(`${MEDIA_BASE}original/${id}`, { Range: 'bytes=10-19' });
        assert.equal(part.status, 206);
        assert.equal(part.headers.get('content-range'), `bytes 10-19/${bytes.length}`);
        assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes.subarray(10, 20));
        const tail = await get(`${MEDIA_BASE}original/${id}`, { Range: 'bytes=-5' });
        assert.deepEqual(Buffer.from(await tail.arrayBuffer()), bytes.subarray(bytes.length - 5));
        assert.equal((await get(`${MEDIA_BASE}original/${id}`, { Range: `bytes=${bytes.length}-` })).status, 416);
    });
    it('serves the thumbnail as WebP', async () => {
        const t = await get(`${MEDIA_BASE}thumb/${id}`);
        assert.equal(t.status, 200);
        assert.equal(t.headers.get('content-type'), 'image/webp');
    });
    it('names nothing but file ids: paths, other hosts, traversal and unknown ids are 404', async () => {
        for (const url of [
            `${MEDIA_SCHEME}://media/../../etc/passwd`,
            `${MEDIA_SCHEME}://media/original/${id}/../../../../etc/passwd`,
            `${MEDIA_SCHEME}://media/original/%2e%2e%2f%2e%2e%2fetc%2fpasswd`,
            `${MEDIA_SCHEME}://media/original//etc/passwd`,
            `${MEDIA_SCHEME}://etc/passwd`,
            `${MEDIA_SCHEME}://media/original/-1`,
            `${MEDIA_SCHEME}://media/original/1e3`,
            `${MEDIA_SCHEME}://media/original/999999`,
            `${MEDIA_SCHEME}://media/file/${id}`,
            'file:///etc/passwd',
        ]) {
            const r = await get(url);
            assert.equal(r.status, 404, url);
            assert.doesNotMatch(await r.text(), /root:/, url);
        }
        assert.equal((await handleMediaRequest(engine.media, new Request(`${MEDIA_BASE}original/${id}`, { method: 'POST', body: 'x' }), silentLogger)).status, 404);
    });
    it('registers on a protocol object and unregisters', () => {
        const seen = [];
        const stop = registerMediaProtocol({ handle: (s) => void seen.push(`handle ${s}`), unhandle: (s) => void seen.push(`unhandle ${s}`) }, engine.media, silentLogger);
        stop();
        assert.deepEqual(seen, [`handle ${MEDIA_SCHEME}`, `unhandle ${MEDIA_SCHEME}`]);
    });
});
//# sourceMappingURL=media-protocol.test.js.map