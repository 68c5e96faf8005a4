import fs from 'node:fs';
import { ShoeboxError } from '../core/errors.js';
import { AWS_CHAIN_HINT, type CredentialStore, type RemoteCredentials } from '../core/remote/credentials.js';
import { writeFileAtomic } from '../core/atomic-write.js';

/** The part of Electron's `safeStorage` used here (a fake one stands in for it in tests). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no keychain was found and "encryption" is a fixed key. */
  getSelectedStorageBackend?(): string;
}

/**
 * Remotes' access keys for the desktop app, each encrypted by the OS keychain (Electron
 * safeStorage: Keychain on macOS, DPAPI on Windows, Secret Service/kwallet on Linux) and kept
 * as base64 ciphertext in one owner-only JSON file beside the preferences — never in plain text,
 * never in the catalog or the logs. Where the keychain is missing (Linux without a Secret
 * Service, where Electron would fall back to a fixed key), keys are refused with what to do.
 */
export class SafeStorageCredentialStore implements CredentialStore {
  readonly where = 'the system keychain';

  constructor(private readonly safe: SafeStorageLike, private readonly file: string) {}

  private read(): Record<string, string> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, string>;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new ShoeboxError('IO_ERROR', `The saved access keys (${this.file}) cannot be read (${(err as Error).message}). Remove the file and add the remote's keys again.`, { cause: err });
    }
  }

  private write(all: Record<string, string>): void {
    writeFileAtomic(this.file, JSON.stringify(all, null, 1), 0o600);
  }

  private usable(): boolean {
    return this.safe.isEncryptionAvailable() && this.safe.getSelectedStorageBackend?.() !== 'basic_text';
  }

  get(url: string): RemoteCredentials | undefined {
    const enc = this.read()[url];
    if (enc === undefined) return undefined;
    if (!this.usable()) throw new ShoeboxError('IO_ERROR', `The system keychain is not available, so the saved keys for ${url} cannot be unlocked. Unlock or start your keychain and try again.`);
    try {
      return JSON.parse(this.safe.decryptString(Buffer.from(enc, 'base64'))) as RemoteCredentials;
    } catch (err) {
      throw new ShoeboxError('IO_ERROR', `The saved keys for ${url} cannot be decrypted by this user's keychain. Add the remote's keys again.`, { cause: err });
    }
  }

  set(url: string, creds: RemoteCredentials): void {
    if (!this.usable()) {
      throw new ShoeboxError('IO_ERROR', `No system keychain is available to keep the access keys safely (on Linux: a Secret Service such as GNOME Keyring or KWallet). Start one, or give the keys through ${AWS_CHAIN_HINT}.`);
    }
    const all = this.read();
    all[url] = this.safe.encryptString(JSON.stringify(creds)).toString('base64');
    this.write(all);
  }

  delete(url: string): void {
    const all = this.read();
    if (!(url in all)) return;
    delete all[url];
    this.write(all);
  }
}
