// heic-decode ships no types. It decodes HEIC/HEIF (HEVC) with libheif compiled to JavaScript,
// which Shoebox needs because sharp's prebuilt libvips cannot decode HEVC.
declare module 'heic-decode' {
  interface Decoded {
    width: number;
    height: number;
    data: Uint8ClampedArray;
  }
  function decode(input: { buffer: ArrayBufferLike | Uint8Array }): Promise<Decoded>;
  export default decode;
}
