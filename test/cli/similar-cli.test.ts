import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runCli, tempDir } from '../support/fixtures.js';
import { haveHeifEnc, heic } from '../support/media-fixtures.js';

const skip = !haveHeifEnc() && 'heif-enc not installed (Debian package libheif-examples; .ci/setup test installs it)';

describe('shoebox similar: output', { skip }, () => {
  it('--json stays one JSON document when damaged HEICs fail to decode (the decoder prints nothing into it)', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const good = await heic(320, 240, '#b84');
    fs.writeFileSync(path.join(src, 'half.heic'), good.subarray(0, Math.floor(good.length / 2)));
    fs.writeFileSync(path.join(src, 'good.heic'), good);
    fs.writeFileSync(path.join(src, 'a.jpg'), await jpeg('similar-json'));
    const library = path.join(dir, 'lib');
    const up = await runCli(['upload', src], { library });
    assert.ok(up.code === 0 || up.code === 3, up.stderr);
    const r = await runCli(['--json', 'similar', '--index-only'], { library });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(typeof out, 'object');
    assert.doesNotMatch(r.stdout, /HEIF|heif_/);
  });
});
