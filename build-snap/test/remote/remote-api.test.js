// Offsite copy through the window's API (issue #10): add with access keys (kept by the desktop
// app's keychain store, used by the S3 client, never in the catalog), push, list, remove; and
// the same calls where no key store exists (serve, CLI) refuse keys with what to do.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiDispatcher } from '../../main/core/api/dispatcher.js';
import { Engine } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logger.js';
import { PrefsStore } from '../../main/core/prefs/prefs-store.js';
import { SafeStorageCredentialStore } from '../../main/electron/safe-credentials.js';
import { jpeg, tempDir, writeTree } from '../support/fixtures.js';
import { startS3 } from '../support/s3-server.js';
const fakeSafe = {
    isEncryptionAvailable: () => true,
    encryptString: (s) => Buffer.from(Buffer.from(s).map((b) => b ^ 0x77)),
    decryptString: (b) => Buffer.from(b.map((v) => v ^ 0x77)).toString(),
};
describe('offsite copy through the API', () => {
    let s3;
    const saved = {};
    before(async () => {
        s3 = await startS3(['photos']);
        // no AWS keys anywhere but the key store: a push that works used the stored keys
        for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'])
            saved[k] = process.env[k];
        delete process.env.AWS_ACCESS_KEY_ID;
        delete process.env.AWS_SECRET_ACCESS_KEY;
        delete process.env.AWS_PROFILE;
        process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(tempDir(), 'none');
        process.env.AWS_CONFIG_FILE = path.join(tempDir(), 'none');
    });
    after(async () => {
        for (const [k, v] of Object.entries(saved))
            if (v === undefined)
                delete process.env[k];
            else
                process.env[k] = v;
        await s3.close();
    });
    const shell = (storesCredentials) => ({ shell: storesCredentials ? 'electron' : 'browser', nativeDialogs: storesCredentials, uploadUrl: null, storesCredentials, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => undefined });
    it('adds with keys from the desktop app, pushes with them, and keeps them out of the library', async () => {
        const credFile = path.join(tempDir(), 'remote-credentials.json');
        const library = path.join(tempDir(), 'lib');
        const engine = Engine.open({ libraryDir: library, credentials: new SafeStorageCredentialStore(fakeSafe, credFile) });
        try {
            const src = tempDir();
            writeTree(src, { 'a.jpg': await jpeg('api-a'), 'b.jpg': await jpeg('api-b'), 'c.jpg': await jpeg('api-c') });
            await engine.upload({ paths: [src] });
            const api = new ApiDispatcher(engine, shell(true), silentLogger);
            const call = (m, p) => api.reply(1, m, p);
            const caps = await call('shell.capabilities', {});
            assert.deepEqual(caps.ok && caps.result.storesCredentials, true);
            const secret = 'S3RVER-secret-do-not-leak';
            const added = await call('remotes.add', { url: 's3://photos/lib', endpoint: s3.endpoint, passphrase: 'correct horse battery', accessKeyId: 'S3RVER', secretAccessKey: secret });
            assert.ok(added.ok, JSON.stringify(added));
            const r = added.result;
            assert.match(r.recoveryKey ?? '', /\w{4}-\w{4}/, 'a new remote shows its recovery key once');
            assert.equal(r.remote.pendingBlobs, 3);
            // "Push now" twice at once (as with the background push): one uploads, the other finds nothing left
            const [pushed, again] = await Promise.all([call('remotes.push', { url: 's3://photos/lib' }), call('remotes.push', { url: 's3://photos/lib' })]);
            assert.ok(pushed.ok && again.ok, JSON.stringify([pushed, again]));
            assert.deepEqual([pushed.result.blobs, again.result.blobs], [3, 0]);
            const list = await call('remotes.list', {});
            assert.deepEqual(list.ok && list.result.map((x) => [x.pushedBlobs, x.pendingBlobs, x.lastSnapshotAt !== null]), [[3, 0, true]]);
            // the secret is in the keychain file (encrypted) and nowhere in the library
            assert.doesNotMatch(fs.readFileSync(credFile, 'utf8'), new RegExp(secret));
            const leaks = fs.readdirSync(library, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && fs.readFileSync(path.join(e.parentPath, e.name)).includes(secret));
            assert.deepEqual(leaks.map((e) => e.name), []);
            const removed = await call('remotes.remove', { url: 's3://photos/lib' });
            assert.ok(removed.ok);
            assert.deepEqual(JSON.parse(fs.readFileSync(credFile, 'utf8')), {}, 'the keys go with the remote');
        }
        finally {
            await engine.close();
        }
    });
    it('where keys cannot be kept (serve, CLI) they are refused, and bad calls get typed errors', async () => {
        const engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
        try {
            const api = new ApiDispatcher(engine, shell(false), silentLogger);
            const bad = [
                [{ url: 's3://photos/x', endpoint: s3.endpoint, passphrase: 'long enough', accessKeyId: 'A', secretAccessKey: 'B' }, /only the desktop app keeps them.*AWS_ACCESS_KEY_ID/],
                [{ url: 'http://photos', passphrase: 'long enough' }, /^"http:\/\/photos" must look like s3:\/\/bucket\/folder\.$/],
                [{ url: 's3://photos/x', passphrase: 'short' }, /at least 8 characters/],
                [{ url: 's3://photos/x', passphrase: 'long enough', accessKeyId: 'A' }, /both access key fields, or neither/],
                [{ url: 's3://photos/x', endpoint: 'file:///etc', passphrase: 'long enough' }, /http\(s\):\/\/ address/],
            ];
            for (const [params, msg] of bad) {
                const r = await api.reply(1, 'remotes.add', params);
                assert.equal(r.ok, false);
                assert.match(!r.ok ? r.error.userMessage : '', msg instanceof RegExp ? msg : new RegExp(msg));
            }
            // without keys anywhere: the SDK's own message, as a typed error, and nothing added
            const none = await api.reply(1, 'remotes.add', { url: 's3://photos/y', endpoint: s3.endpoint, passphrase: 'long enough' });
            assert.equal(none.ok, false);
            assert.notEqual(!none.ok && none.error.code, 'INTERNAL');
            const list = await api.reply(1, 'remotes.list', {});
            assert.deepEqual(list.ok ? list.result : list.error, []);
            const missing = await api.reply(1, 'remotes.push', { url: 's3://photos/nope' });
            assert.deepEqual(!missing.ok && missing.error.code, 'NOT_FOUND');
        }
        finally {
            await engine.close();
        }
    });
});
//# sourceMappingURL=remote-api.test.js.map