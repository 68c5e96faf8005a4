import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/support/fixtures.js';
import { SafeStorageCredentialStore } from './safe-credentials.js';
/** A stand-in for Electron's safeStorage: reversible, but the bytes do not show the secret. */
function fakeSafe(opts = {}) {
    const x = (b) => Buffer.from(b.map((v, i) => v ^ (0x5a + i) % 256));
    return {
        encrypted: 0,
        isEncryptionAvailable: () => opts.available ?? true,
        getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
        encryptString(plain) {
            this.encrypted++;
            return Buffer.concat([Buffer.from('v10'), x(Buffer.from(plain))]);
        },
        decryptString(enc) {
            if (enc.subarray(0, 3).toString() !== 'v10')
                throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
            return x(enc.subarray(3)).toString();
        },
    };
}
const KEYS = { accessKeyId: 'AKIAEXAMPLE123', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
describe('remote access keys in the desktop app (safeStorage)', () => {
    it('keeps them encrypted by the keychain in an owner-only file, and gives them back', () => {
        const file = path.join(tempDir(), 'cfg', 'remote-credentials.json');
        const safe = fakeSafe();
        const store = new SafeStorageCredentialStore(safe, file);
        assert.equal(store.get('s3://photos/a'), undefined);
        store.set('s3://photos/a', KEYS);
        store.set('s3://other/b', { accessKeyId: 'K2', secretAccessKey: 'S2' });
        assert.equal(safe.encrypted, 2);
        const raw = fs.readFileSync(file, 'utf8');
        assert.doesNotMatch(raw, /wJalrXUtnFEMI|AKIAEXAMPLE/, 'no key in plain text');
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.deepEqual(new SafeStorageCredentialStore(safe, file).get('s3://photos/a'), KEYS, 'read back by a new process');
        store.delete('s3://photos/a');
        assert.equal(store.get('s3://photos/a'), undefined);
        assert.deepEqual(store.get('s3://other/b'), { accessKeyId: 'K2', secretAccessKey: 'S2' });
    });
    it('refuses to keep keys where there is no real keychain, saying what to do', () => {
        for (const safe of [fakeSafe({ available: false }), fakeSafe({ backend: 'basic_text' })]) {
            const file = path.join(tempDir(), 'remote-credentials.json');
            const store = new SafeStorageCredentialStore(safe, file);
            assert.throws(() => store.set('s3://photos/a', KEYS), /No system keychain is available .*GNOME Keyring or KWallet.*AWS_ACCESS_KEY_ID/);
            assert.equal(fs.existsSync(file), false, 'nothing written');
        }
    });
    it('a file another keychain wrote, or a damaged one, is a clear error', () => {
        const file = path.join(tempDir(), 'remote-credentials.json');
        fs.writeFileSync(file, JSON.stringify({ 's3://photos/a': Buffer.from('not ours').toString('base64') }));
        assert.throws(() => new SafeStorageCredentialStore(fakeSafe(), file).get('s3://photos/a'), /cannot be decrypted by this user's keychain\. Add the remote's keys again/);
        fs.writeFileSync(file, '{ half');
        assert.throws(() => new SafeStorageCredentialStore(fakeSafe(), file).get('s3://photos/a'), /saved access keys .* cannot be read.*Remove the file/);
    });
});
//# sourceMappingURL=safe-credentials.test.js.map