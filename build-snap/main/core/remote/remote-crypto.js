import { Transform } from 'node:stream';
import sodium from 'sodium-native';
import { ShoeboxError } from '../errors.js';
/** Plaintext bytes per encrypted chunk; each chunk carries its own authentication tag. */
export const CHUNK = 64 * 1024;
const ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES;
const HEADER = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES;
const MAGIC = Buffer.from('SBX1');
/** Ciphertext size of a plaintext of `n` bytes. */
export function encryptedSize(n) {
    const chunks = Math.max(1, Math.ceil(n / CHUNK)); // the last chunk (empty for an empty file) is tagged final
    return MAGIC.length + HEADER + n + chunks * ABYTES;
}
const b64 = (b) => b.toString('base64');
const unb64 = (s) => Buffer.from(s, 'base64');
function wrap(secret, kek) {
    const nonce = Buffer.alloc(sodium.crypto_secretbox_NONCEBYTES);
    sodium.randombytes_buf(nonce);
    const box = Buffer.alloc(secret.length + sodium.crypto_secretbox_MACBYTES);
    sodium.crypto_secretbox_easy(box, secret, nonce, kek);
    return { nonce: b64(nonce), box: b64(box) };
}
function unwrap(w, kek) {
    const box = unb64(w.box);
    const out = Buffer.alloc(box.length - sodium.crypto_secretbox_MACBYTES);
    return sodium.crypto_secretbox_open_easy(out, box, unb64(w.nonce), kek) ? out : null;
}
function passphraseKey(passphrase, kdf) {
    const key = Buffer.alloc(32);
    sodium.crypto_pwhash(key, Buffer.from(passphrase.normalize('NFC')), unb64(kdf.salt), kdf.opslimit, kdf.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    return key;
}
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no I, O, 0, 1
/** A recovery key for people: 32 random bytes as 52 letters and digits in groups of four. */
export function formatRecoveryKey(bytes) {
    let bits = 0;
    let value = 0;
    let out = '';
    for (const b of bytes) {
        value = (value << 8) | b;
        bits += 8;
        while (bits >= 5) {
            out += ALPHABET[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out += ALPHABET[(value << (5 - bits)) & 31];
    return out.match(/.{1,4}/g).join('-');
}
/** Parses a recovery key typed by a person (case and dashes ignored). */
export function parseRecoveryKey(text) {
    const clean = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
    let bits = 0;
    let value = 0;
    const out = [];
    for (const ch of clean) {
        const v = ALPHABET.indexOf(ch);
        if (v < 0)
            throw new ShoeboxError('INVALID_ARGUMENT', 'That is not a Shoebox recovery key (unexpected characters).');
        value = ((value << 5) | v) & 0xffff;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    if (out.length < 32)
        throw new ShoeboxError('INVALID_ARGUMENT', 'That recovery key is too short.');
    return Buffer.from(out.slice(0, 32));
}
/**
 * Creates a new master key, wrapped twice: by a key derived from the passphrase (Argon2id) and by
 * a random recovery key shown once. The key file holds only the wrapped copies.
 */
export function createKeys(passphrase, now) {
    if (passphrase.length < 8)
        throw new ShoeboxError('INVALID_ARGUMENT', 'Choose a passphrase of at least 8 characters: it protects the offsite copy of every photo.');
    const master = Buffer.alloc(32);
    sodium.randombytes_buf(master);
    const recovery = Buffer.alloc(32);
    sodium.randombytes_buf(recovery);
    const salt = Buffer.alloc(sodium.crypto_pwhash_SALTBYTES);
    sodium.randombytes_buf(salt);
    const kdf = { alg: 'argon2id13', opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE, salt: b64(salt) };
    const keyFile = { version: 1, kdf, passphrase: wrap(master, passphraseKey(passphrase, kdf)), recovery: wrap(master, recovery), createdAt: now };
    return { master, keyFile, recoveryKey: formatRecoveryKey(recovery) };
}
/** Unlocks the master key with the passphrase or the recovery key. Wrong → a clear error, nothing else happens. */
export function unlockKeys(keyFile, secret) {
    const master = 'passphrase' in secret ? unwrap(keyFile.passphrase, passphraseKey(secret.passphrase, keyFile.kdf)) : unwrap(keyFile.recovery, parseRecoveryKey(secret.recoveryKey));
    if (!master) {
        throw new ShoeboxError('INVALID_ARGUMENT', `Wrong ${'passphrase' in secret ? 'passphrase' : 'recovery key'} for this remote. Nothing was read or written.`);
    }
    return master;
}
/** Sub-keys of the master key: one encrypts data, one names objects (so names don't reveal content hashes). */
export function deriveKeys(master) {
    const sub = (id) => {
        const k = Buffer.alloc(32);
        sodium.crypto_kdf_derive_from_key(k, id, Buffer.from('shoebox1'), master);
        return k;
    };
    return { data: sub(1), names: sub(2) };
}
/** The remote object name of a blob: a keyed hash of its content hash. */
export function blobObjectName(prefix, namesKey, blobHash) {
    const h = Buffer.alloc(32);
    sodium.crypto_generichash(h, Buffer.from(blobHash), namesKey);
    const hex = h.toString('hex');
    return `${prefix}blobs/${hex.slice(0, 2)}/${hex}`;
}
/**
 * Encrypts a stream with XChaCha20-Poly1305 secretstream in 64 KiB chunks (constant memory, so a
 * 10 GiB video never sits in memory): "SBX1" + header + chunks, the last one tagged final, so a
 * truncated object fails to decrypt. `header` may be given to re-create the same ciphertext
 * (resuming a multipart upload).
 */
export class EncryptStream extends Transform {
    header;
    state = Buffer.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    pending = [];
    pendingBytes = 0;
    held = null;
    constructor(key, header) {
        super();
        this.header = Buffer.alloc(HEADER);
        if (header) {
            // [Note: Re-creating a ciphertext] init_push picks a random header and derives the state
            // from (key, header); init_pull derives the very same state from them. So with a saved
            // header the same bytes encrypt to the same ciphertext: a multipart upload can resume.
            header.copy(this.header);
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(this.state, this.header, key);
        }
        else {
            sodium.crypto_secretstream_xchacha20poly1305_init_push(this.state, this.header, key);
        }
        this.push(Buffer.concat([MAGIC, this.header]));
    }
    seal(plain, final) {
        const c = Buffer.alloc(plain.length + ABYTES);
        sodium.crypto_secretstream_xchacha20poly1305_push(this.state, c, plain, null, final ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
        return c;
    }
    _transform(chunk, _enc, cb) {
        this.pending.push(chunk);
        this.pendingBytes += chunk.length;
        if (this.pendingBytes >= CHUNK) {
            let all = Buffer.concat(this.pending);
            while (all.length >= CHUNK) {
                if (this.held)
                    this.push(this.seal(this.held, false));
                this.held = all.subarray(0, CHUNK);
                all = all.subarray(CHUNK);
            }
            this.pending = all.length ? [all] : [];
            this.pendingBytes = all.length;
        }
        cb();
    }
    _flush(cb) {
        const rest = Buffer.concat(this.pending);
        if (rest.length === 0) {
            this.push(this.seal(this.held ?? Buffer.alloc(0), true));
        }
        else {
            if (this.held)
                this.push(this.seal(this.held, false));
            this.push(this.seal(rest, true));
        }
        cb();
    }
}
/** Decrypts what EncryptStream wrote; any change, truncation or wrong key fails with AUTH_FAILED. */
export class DecryptStream extends Transform {
    key;
    what;
    state = Buffer.alloc(sodium.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    buf = Buffer.alloc(0);
    started = false;
    finished = false;
    constructor(key, what) {
        super();
        this.key = key;
        this.what = what;
    }
    fail() {
        return new ShoeboxError('LIBRARY_CORRUPT', `${this.what} failed authentication: the remote copy was changed or damaged, or the key is wrong.`);
    }
    open(c) {
        const plain = Buffer.alloc(c.length - ABYTES);
        const tag = Buffer.alloc(1);
        try {
            sodium.crypto_secretstream_xchacha20poly1305_pull(this.state, plain, tag, c, null);
        }
        catch {
            throw this.fail();
        }
        if (tag[0] === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL)
            this.finished = true;
        return plain;
    }
    _transform(chunk, _enc, cb) {
        try {
            this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
            if (!this.started) {
                if (this.buf.length < MAGIC.length + HEADER)
                    return cb();
                if (!this.buf.subarray(0, 4).equals(MAGIC))
                    throw this.fail();
                sodium.crypto_secretstream_xchacha20poly1305_init_pull(this.state, this.buf.subarray(4, 4 + HEADER), this.key);
                this.buf = this.buf.subarray(4 + HEADER);
                this.started = true;
            }
            while (this.buf.length > CHUNK + ABYTES) {
                if (this.finished)
                    throw this.fail();
                this.push(this.open(this.buf.subarray(0, CHUNK + ABYTES)));
                this.buf = this.buf.subarray(CHUNK + ABYTES);
            }
            cb();
        }
        catch (err) {
            cb(err);
        }
    }
    _flush(cb) {
        try {
            if (!this.started || this.finished || this.buf.length < ABYTES)
                throw this.fail();
            this.push(this.open(this.buf));
            if (!this.finished)
                throw this.fail();
            cb();
        }
        catch (err) {
            cb(err);
        }
    }
}
//# sourceMappingURL=remote-crypto.js.map