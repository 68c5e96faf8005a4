import fs from 'node:fs';
import { ShoeboxError } from '../core/errors.js';
import { AWS_CHAIN_HINT } from '../core/remote/credentials.js';
import { writeFileAtomic } from '../core/atomic-write.js';
/**
 * Remotes' access keys for the desktop app, each encrypted by the OS keychain (Electron
 * safeStorage: Keychain on macOS, DPAPI on Windows, Secret Service/kwallet on Linux) and kept
 * as base64 ciphertext in one owner-only JSON file beside the preferences — never in plain text,
 * never in the catalog or the logs. Where the keychain is missing (Linux without a Secret
 * Service, where Electron would fall back to a fixed key), keys are refused with what to do.
 */
export class SafeStorageCredentialStore {
    safe;
    file;
    where = 'the system keychain';
    constructor(safe, file) {
        this.safe = safe;
        this.file = file;
    }
    read() {
        try {
            return JSON.parse(fs.readFileSync(this.file, 'utf8'));
        }
        catch (err) {
            if (err.code === 'ENOENT')
                return {};
            throw new ShoeboxError('IO_ERROR', `The saved access keys (${this.file}) cannot be read (${err.message}). Remove the file and add the remote's keys again.`, { cause: err });
        }
    }
    write(all) {
        writeFileAtomic(this.file, JSON.stringify(all, null, 1), 0o600);
    }
    usable() {
        return this.safe.isEncryptionAvailable() && this.safe.getSelectedStorageBackend?.() !== 'basic_text';
    }
    get(url) {
        const enc = this.read()[url];
        if (enc === undefined)
            return undefined;
        if (!this.usable())
            throw new ShoeboxError('IO_ERROR', `The system keychain is not available, so the saved keys for ${url} cannot be unlocked. Unlock or start your keychain and try again.`);
        try {
            return JSON.parse(this.safe.decryptString(Buffer.from(enc, 'base64')));
        }
        catch (err) {
            throw new ShoeboxError('IO_ERROR', `The saved keys for ${url} cannot be decrypted by this user's keychain. Add the remote's keys again.`, { cause: err });
        }
    }
    set(url, creds) {
        if (!this.usable()) {
            throw new ShoeboxError('IO_ERROR', `No system keychain is available to keep the access keys safely (on Linux: a Secret Service such as GNOME Keyring or KWallet). Start one, or give the keys through ${AWS_CHAIN_HINT}.`);
        }
        const all = this.read();
        all[url] = this.safe.encryptString(JSON.stringify(creds)).toString('base64');
        this.write(all);
    }
    delete(url) {
        const all = this.read();
        if (!(url in all))
            return;
        delete all[url];
        this.write(all);
    }
}
//# sourceMappingURL=safe-credentials.js.map