// The parts of sodium-native 4 Shoebox uses (its own typings don't ship with it, and
// @types/sodium-native describes an older API where the secretstream state was an object).
declare module 'sodium-native' {
  const sodium: {
    crypto_secretstream_xchacha20poly1305_ABYTES: number;
    crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
    crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE: number;
    crypto_secretstream_xchacha20poly1305_TAG_FINAL: number;
    crypto_secretstream_xchacha20poly1305_init_push(state: Buffer, header: Buffer, key: Buffer): void;
    crypto_secretstream_xchacha20poly1305_init_pull(state: Buffer, header: Buffer, key: Buffer): void;
    crypto_secretstream_xchacha20poly1305_push(state: Buffer, c: Buffer, m: Buffer, ad: Buffer | null, tag: number): number;
    crypto_secretstream_xchacha20poly1305_pull(state: Buffer, m: Buffer, tag: Buffer, c: Buffer, ad: Buffer | null): number;
    crypto_secretbox_NONCEBYTES: number;
    crypto_secretbox_MACBYTES: number;
    crypto_secretbox_easy(c: Buffer, m: Buffer, n: Buffer, k: Buffer): void;
    crypto_secretbox_open_easy(m: Buffer, c: Buffer, n: Buffer, k: Buffer): boolean;
    crypto_pwhash_SALTBYTES: number;
    crypto_pwhash_OPSLIMIT_INTERACTIVE: number;
    crypto_pwhash_MEMLIMIT_INTERACTIVE: number;
    crypto_pwhash_ALG_ARGON2ID13: number;
    crypto_pwhash(out: Buffer, passwd: Buffer, salt: Buffer, opslimit: number, memlimit: number, alg: number): void;
    crypto_kdf_derive_from_key(subkey: Buffer, subkeyId: number, ctx: Buffer, key: Buffer): void;
    crypto_generichash(out: Buffer, input: Buffer, key?: Buffer): void;
    randombytes_buf(buf: Buffer): void;
  };
  export default sodium;
}
