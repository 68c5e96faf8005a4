import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/support/fixtures.js';
import { haveHeifEnc, heic } from '../../../test/support/media-fixtures.js';
import { IngestPool } from './ingest-pool.js';

const skip = !haveHeifEnc() && 'heif-enc not installed (Debian package libheif-examples; .ci/setup test installs it)';

/** Runs `body` with an IngestPool made while SHOEBOX_HEIF_TOOLS is `tools`. */
async function withPool(tools: '0' | undefined, body: (pool: IngestPool) => Promise<void>): Promise<void> {
  const before = process.env.SHOEBOX_HEIF_TOOLS;
  if (tools === undefined) delete process.env.SHOEBOX_HEIF_TOOLS;
  else process.env.SHOEBOX_HEIF_TOOLS = tools;
  const pool = new IngestPool(4);
  try {
    await body(pool);
  } finally {
    await pool.close();
    if (before === undefined) delete process.env.SHOEBOX_HEIF_TOOLS;
    else process.env.SHOEBOX_HEIF_TOOLS = before;
  }
}

describe('IngestPool and HEIC decoding ([Note: One HEIC decoder])', { skip }, () => {
  it('with the WebAssembly decoder, every task that decodes a HEIC runs in the one model thread; JPEGs keep the general pool', async () => {
    const dir = tempDir();
    const heics = await Promise.all([0, 1, 2, 3].map(async (i) => {
      const p = path.join(dir, `h${i}.heic`);
      fs.writeFileSync(p, await heic(320, 240, ['#336699', '#993366', '#669933', '#999933'][i]));
      return p;
    }));
    await withPool('0', async (pool) => {
      const thumbs = await Promise.all(heics.map((p, i) => pool.thumbnail({ blobPath: p, mediaType: 'image/heic', outPath: path.join(dir, 'thumbs', `t${i}.webp`) })));
      for (const t of thumbs) assert.deepEqual(t.kind === 'image' ? [t.width, t.height] : t, [320, 240]);
      const layouts = await pool.layouts({ items: heics.map((p) => ({ path: p, mediaType: 'image/heic' })) });
      assert.ok(layouts.every((l) => l?.length === 64 * 64 * 3), 'every HEIC gave its pixel-check thumbnail');
      const big = await pool.largePreview({ blobPath: heics[0]!, mediaType: 'image/heic', maxSide: 200, tmpDir: dir });
      assert.ok(big.ok && big.width === 200, JSON.stringify(big.ok ? { w: big.width } : big));
      assert.deepEqual(pool.runningThreads(), { general: 0, model: 1 }, 'no general thread started: one HEIC decoder in the process');
    });
    await withPool(undefined, async (pool) => {
      // where the system's heif-convert decodes (in a process of its own), the general pool does the work
      const thumbs = await Promise.all(heics.map((p, i) => pool.thumbnail({ blobPath: p, mediaType: 'image/heic', outPath: path.join(dir, 'thumbs2', `t${i}.webp`) })));
      for (const t of thumbs) assert.equal(t.kind, 'image');
      const running = pool.runningThreads();
      assert.equal(running.model, 0);
      assert.ok(running.general >= 1);
    });
  });
});
