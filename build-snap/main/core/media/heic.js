/**
 * heic-decode, loaded on first use: it instantiates libheif's WebAssembly (reserving gigabytes of
 * address space) when loaded, which failed every worker thread at start under a low `ulimit -v`
 * even for work that never meets a HEIC (export, upload hashing). See [Note: Running under tight limits].
 */
export async function loadHeicDecoder() {
    return (await import('heic-decode')).default;
}
//# sourceMappingURL=heic.js.map