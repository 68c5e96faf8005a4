/**
 * heic-decode, loaded on first use: it instantiates libheif's WebAssembly (reserving gigabytes of
 * address space) when loaded, which failed every worker thread at start under a low `ulimit -v`
 * even for work that never meets a HEIC (export, upload hashing). See [Note: Running under tight limits].
 */
export async function loadHeicDecoder(): Promise<typeof import('heic-decode').default> {
  return (await import('heic-decode')).default;
}
