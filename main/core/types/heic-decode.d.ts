// heic-decode ships no types. It decodes HEIC/HEIF (HEVC) with libheif compiled to JavaScript,
// which Shoebox needs because sharp's prebuilt libvips cannot decode HEVC.
declare module 'heic-decode' {
  interface Decoded {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  /** An image of the file, its size known before its pixels are decoded. */
  interface Image {
    width: number;
    height: number;
    decode(): Promise<Decoded>;
  }
  interface Decode {
    (input: { buffer: ArrayBufferLike | Uint8Array }): Promise<Decoded>;
    /** Every image of the file, undecoded; `dispose()` frees the decoder's memory for them. */
    all(input: { buffer: ArrayBufferLike | Uint8Array }): Promise<Image[] & { dispose(): void }>;
  }
  const decode: Decode;
  export default decode;
}
