import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { cameraLikeJpeg } from '../bench/fixtures.js';
import { spawnPaused } from '../support/crash-kit.js';
import { jpeg, runCli, tempDir } from '../support/fixtures.js';
import { heifTool } from '../../main/core/media/heif-tools.js';
import { haveHeifEnc, heic } from '../support/media-fixtures.js';

const skip = !haveHeifEnc() && 'heif-enc not installed (Debian package libheif-examples; .ci/setup test installs it)';

describe('shoebox similar: output', { skip }, () => {
  it('--json stays one JSON document when damaged HEICs fail to decode (the decoder prints nothing into it), and the image that failed is named with why', async () => {
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
    const out = JSON.parse(r.stdout) as { failed: number; failures: Array<{ name: string; message: string }> };
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one line: nothing printed beside the document');
    assert.doesNotMatch(r.stdout, /Could not parse|heif_/, 'no decoder output');
    assert.equal(out.failed, 1);
    assert.deepEqual(out.failures.map((f) => f.name), ['half.heic'], 'the image that could not be read, by name');
    assert.ok(out.failures[0]!.message.length > 0, 'with the reason');

    // Said again, by name, by every later run (it is not retried until the model changes).
    const again = await runCli(['similar'], { library });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /1 image could not be read for Similar images/);
    assert.match(again.stderr, /^ {2}half\.heic: .+/m);
    assert.doesNotMatch(again.stdout, /half\.heic/, 'stdout keeps only the groups');
  });
});

describe('shoebox similar: HEIC decoders', { skip: skip || (!heifTool('heif-convert') && 'heif-convert not installed (libheif-examples)') }, () => {
  it('a HEIC only the built-in decoder failed on says so, and is tried again once the system\'s libheif is there; a failure of both is final', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const good = await heic(320, 240, '#4b8');
    fs.writeFileSync(path.join(src, 'half.heic'), good.subarray(0, Math.floor(good.length / 2)));
    const library = path.join(dir, 'lib');
    const up = await runCli(['upload', src], { library });
    assert.ok(up.code === 0 || up.code === 3, up.stderr);
    const failures = async (env?: NodeJS.ProcessEnv) => {
      const r = await runCli(['--json', 'similar', '--index-only'], { library, ...(env ? { env } : {}) });
      assert.equal(r.code, 0, r.stderr);
      return (JSON.parse(r.stdout) as { failures: Array<{ name: string; message: string }> }).failures;
    };
    const builtIn = await failures({ SHOEBOX_HEIF_TOOLS: '0' });
    assert.equal(builtIn.length, 1);
    assert.match(builtIn[0]!.message, /^the built-in HEIC decoder could not read it \(installing the system's libheif, Debian: libheif-examples, gives it a second try\): ./);
    const both = await failures();
    assert.equal(both.length, 1, 'still failing: it is half a file');
    assert.doesNotMatch(both[0]!.message, /built-in HEIC decoder/, 'tried again with the system decoder, and that failure recorded');
    assert.deepEqual(await failures({ SHOEBOX_HEIF_TOOLS: '0' }), both, 'a failure of both decoders is not tried again');
  });
});

describe('shoebox similar: Ctrl-C', () => {
  it('stops after the batch in progress, keeps every batch indexed so far, and the next run indexes only the rest', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const total = 70; // three batches of at most 32
    for (let i = 0; i < total; i++) fs.writeFileSync(path.join(src, `p${i}.jpg`), await jpeg(`similar-ctrl-c-${i}`));
    const library = path.join(dir, 'lib');
    const up = await runCli(['upload', src], { library });
    assert.equal(up.code, 0, up.stderr);

    // Ctrl-C arrives once the first batch has committed (the process is held there meanwhile).
    const run = spawnPaused(['similar', '--index-only'], { library, point: 'similar-chunk', step: 1 });
    await run.paused;
    run.child.kill('SIGINT');
    run.resume();
    const first = await run.exited;
    assert.equal(first.signal, null, `it was not killed by the signal: ${first.stderr}`);
    assert.equal(first.code, 130, first.stderr);
    const stopped = /indexing interrupted, (\d+) images still to index; run `shoebox similar` again to continue \(the (\d+) indexed are kept\)/.exec(first.stderr);
    assert.ok(stopped, first.stderr);
    const kept = Number(stopped[2]);
    assert.ok(kept >= 32 && kept < total, `stopped after a whole batch or two, not at the end: ${kept}`);
    assert.equal(Number(stopped[1]), total - kept);

    const again = await runCli(['similar', '--index-only'], { library });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, new RegExp(`indexed ${total - kept} images`), 'only the rest is indexed');
    assert.match(again.stdout, new RegExp(`^${total} images indexed \\(0 could not be read\\)`));
  });
});

/** A page of a form: the same layout every time, lines of "words" (dark bars) whose lengths the seed sets. */
async function formPage(seed: number): Promise<Buffer> {
  let x = seed * 7919 + 1;
  const r = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let bars = '';
  for (let y = 80; y < 1060; y += 30) {
    for (let at = 60; at < 780; ) {
      const w = 20 + Math.floor(r() * 70);
      bars += `<rect x="${at}" y="${y}" width="${Math.min(w, 790 - at)}" height="14" fill="#222"/>`;
      at += w + 10;
    }
  }
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="850" height="1100"><rect width="100%" height="100%" fill="#f7f5ef"/>${bars}</svg>`)).jpeg({ quality: 85 }).toBuffer();
}

describe('shoebox similar: near-identical means the same picture', () => {
  it('different pages of one form and one pattern in other colours, which the model scores near-identical, are only listed for review: --yes trashes none', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(src, `page${i}.jpg`), await formPage(i));
    for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(src, `bands${i}.jpg`), await cameraLikeJpeg(i, 640, 480));
    const library = path.join(dir, 'lib');
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const r = await runCli(['--json', 'similar'], { library });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { groups: Array<{ preselected: boolean; images: Array<{ name: string; similarity: number }> }> };
    // The model does score them as near-identical (else this test would test nothing).
    const close = out.groups.flatMap((g) => g.images.filter((i) => i.similarity < 1 && i.similarity >= 0.93));
    assert.ok(close.length >= 2, `the model puts different images over the near-identical bar: ${JSON.stringify(out.groups)}`);
    assert.deepEqual(out.groups.filter((g) => g.preselected).map((g) => g.images.map((i) => i.name)), [], 'no group of different pictures is pre-selected');
    const yes = await runCli(['similar', '--yes'], { library });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal((await runCli(['--json', 'trash', 'ls'], { library })).stdout.includes('.jpg'), false, 'nothing went to Trash');
  });

  it('a photo and its resized, recompressed copy are pre-selected, and --yes moves the copy to Trash', async () => {
    const dir = tempDir();
    const src = path.join(dir, 'src');
    fs.mkdirSync(src);
    const photo = await cameraLikeJpeg(3, 1280, 960);
    fs.writeFileSync(path.join(src, 'photo.jpg'), photo);
    fs.writeFileSync(path.join(src, 'photo-small.jpg'), await sharp(photo).resize(640).jpeg({ quality: 70 }).toBuffer());
    const library = path.join(dir, 'lib');
    assert.equal((await runCli(['upload', src], { library })).code, 0);
    const r = await runCli(['--json', 'similar', '--yes'], { library });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { groups: Array<{ preselected: boolean; images: Array<{ name: string }> }>; applied: Array<{ status: string }> | null };
    assert.deepEqual(out.groups.map((g) => [g.preselected, g.images.map((i) => i.name).sort()]), [[true, ['photo-small.jpg', 'photo.jpg']]]);
    assert.equal(out.applied?.[0]?.status, 'applied');
    assert.match((await runCli(['trash', 'ls'], { library })).stdout, /photo-small\.jpg/);

    // a restore of the folder writes what is not in Trash, and says what is
    const out1 = tempDir();
    const restored = await runCli(['restore', src, '--to', out1], { library });
    assert.equal(restored.code, 0, restored.stderr);
    assert.deepEqual(fs.readdirSync(out1), ['photo.jpg']);
    assert.match(restored.stdout, /1 file once backed up from there is in Trash \(moved there by you, or by Similar images or Duplicates keeping another copy\) and was not written: `shoebox trash ls` lists it/);

    // taken back by a later process: the copy leaves Trash for its album; once, then nothing is left to undo
    const undo = await runCli(['similar', '--undo'], { library });
    assert.equal(undo.code, 0, undo.stderr);
    assert.match(undo.stdout, /^Undone the confirm of \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\): 1 image back from Trash into its albums, 0 album memberships the kept images were given taken back\.$/m);
    assert.doesNotMatch((await runCli(['trash', 'ls'], { library })).stdout, /photo-small\.jpg/);
    assert.deepEqual((await runCli(['ls', 'src'], { library })).stdout.match(/photo[-a-z]*\.jpg/g)?.sort(), ['photo-small.jpg', 'photo.jpg']);
    const out2 = tempDir();
    const all = await runCli(['restore', src, '--to', out2], { library });
    assert.deepEqual(fs.readdirSync(out2).sort(), ['photo-small.jpg', 'photo.jpg']);
    assert.doesNotMatch(all.stdout, /in Trash/);
    const again = await runCli(['similar', '--undo'], { library });
    assert.equal(again.code, 7, again.stderr);
    assert.match(again.stderr, /There is no confirm of Similar images to undo/);
    const mixed = await runCli(['similar', '--undo', '--yes'], { library });
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /--undo takes back the latest confirm and goes alone/);
  });
});
