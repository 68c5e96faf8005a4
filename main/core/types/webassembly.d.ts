// The one piece of the WebAssembly JS API the engine uses (blob-writer.ts: page-aligned
// buffers). TypeScript declares it only in lib.dom, which the engine must not depend on.
declare namespace WebAssembly {
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
  }
}
