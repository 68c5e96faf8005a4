import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright';
import { ExifTool } from 'exiftool-vendored';
import sharp from 'sharp';
import { readImageFacts } from '../../main/core/dates/image-facts.js';
import { Engine } from '../../main/core/engine.js';
import { DISPLAY_SIZE } from '../../main/core/media/display-size.js';
import { decodeHeic } from '../../main/core/media/heic.js';
import { heifTool } from '../../main/core/media/heif-tools.js';
import { ffmpegCandidates } from '../../main/core/media/video-poster.js';
import { runCli } from '../support/fixtures.js';
import { cameraLikeJpeg } from './fixtures.js';
import { have } from './measure.js';
import { CHROMIUM_ARGS, chromiumPath, startServeProcess } from '../support/serve-process.js';
import { percentile } from '../support/process-stats.js';
import { syntheticLibrary } from '../support/synthetic-library.js';
import type { BenchRow } from './measure.js';

const run = promisify(execFile);

/** Waits for an accessible element and returns the ms since `t0`. */
async function until(page: Page, t0: number, role: 'img' | 'rowheader', name: string | RegExp, timeout = 30_000): Promise<number> {
  await page.getByRole(role, { name, exact: typeof name === 'string' }).first().waitFor({ timeout });
  return performance.now() - t0;
}

/** A synthetic library with real (tiny) blobs, made once per bench work dir. */
async function benchLibrary(work: string, files: number): Promise<string> {
  const library = path.join(work, `library-timeline-${files}`);
  const marker = path.join(work, `.library-timeline-${files}-v2`);
  if (!fs.existsSync(marker)) {
    await syntheticLibrary(library, { files, groups: 0, albums: Math.max(1, files / 100), spacingMs: 20 * 60_000, blobs: true });
    // Similar images would spend the run indexing; it is measured in its own rows.
    await runCli(['similar', '--indexing', 'off'], { library });
    fs.writeFileSync(marker, '');
  }
  return library;
}

/** Opens the window on a library; measures reload → first tile (with its file) three times. */
async function firstPaints(page: Page, url: string): Promise<number[]> {
  await page.goto(url); // sets the cookie; the measured loads are the next ones
  await page.getByRole('img', { name: /IMG_0\.jpg/ }).first().waitFor({ timeout: 60_000 });
  const firsts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await page.reload();
    firsts.push(await until(page, t0, 'img', /IMG_0\.jpg/));
  }
  return firsts;
}

/**
 * Issue #16 rows: the All photos timeline of 100,000 files in Chromium against `shoebox serve` —
 * time to the first tiles, to a month far away, and frame times while scrolling (requestAnimationFrame
 * intervals in the page during 60 wheel steps; 16.7 ms is 60 fps). Targets: < 500 ms, 60 fps. The
 * same first paint on a library of 1,000 files, measured in the same run, is the baseline: the
 * ratio is what the 100× larger library costs on this machine, whatever its load.
 */
export async function timelineBench(work: string): Promise<BenchRow[]> {
  const group = 'timeline of 100,000 files (Chromium, serve)';
  const exe = chromiumPath();
  if (!exe) return [{ group, tool: 'shoebox window', value: 'n/a', note: 'Chromium not installed' }];
  const small = await benchLibrary(work, 1000);
  const library = await benchLibrary(work, 100_000);
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  const config = { SHOEBOX_CONFIG_DIR: path.join(work, 'timeline-config') };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const baseServe = await startServeProcess(small, config);
    let base: number[];
    try {
      base = await firstPaints(page, baseServe.url);
    } finally {
      await baseServe.stop();
    }
    const serve = await startServeProcess(library, config);
    try {
      const firsts = await firstPaints(page, serve.url);
      const months = await page.getByLabel('Jump to month').locator('option').allTextContents();
      const jumps: number[] = [];
      for (const m of [months.at(-1)!, months[Math.floor(months.length / 3)]!, months[Math.floor((2 * months.length) / 3)]!]) {
        const t0 = performance.now();
        await page.getByLabel('Jump to month').selectOption(m);
        await page.getByRole('rowheader', { name: m, exact: true }).waitFor();
        // the month's first tile has its file (its page loaded), not a blank placeholder
        await page.locator('.tile[aria-label^="IMG_"]').first().waitFor();
        jumps.push(performance.now() - t0);
      }
      await page.getByLabel('Jump to month').selectOption(months[0]!);
      await page.getByRole('gridcell').first().hover();
      await page.evaluate(() => {
        const g = globalThis as unknown as { __frames: number[]; requestAnimationFrame(cb: (t: number) => void): void };
        g.__frames = [];
        let last = 0;
        const tick = (t: number) => {
          if (last) g.__frames.push(t - last);
          last = t;
          if (g.__frames.length < 2000) g.requestAnimationFrame(tick);
        };
        g.requestAnimationFrame(tick);
      });
      for (let i = 0; i < 60; i++) {
        await page.mouse.wheel(0, 400);
        await page.waitForTimeout(16);
      }
      const frames = await page.evaluate(() => (globalThis as unknown as { __frames: number[] }).__frames);
      const slow = frames.filter((f) => f > 1000 / 60 + 1).length;
      const p50 = percentile(firsts, 50);
      const b50 = percentile(base, 50);
      return [
        { group, tool: 'first paint, 1,000 files (baseline, same run)', value: `p50 ${b50.toFixed(0)} ms`, note: base.map((x) => x.toFixed(0)).join(', ') },
        { group, tool: 'first paint (reload → first tile)', value: `p50 ${p50.toFixed(0)} ms`, ratio: `${(p50 / b50).toFixed(2)}× the 1,000-file baseline; target < 500 ms`, note: firsts.map((x) => x.toFixed(0)).join(', ') },
        { group, tool: 'jump to a month (select → tiles with files)', value: `p50 ${percentile(jumps, 50).toFixed(0)} ms`, ratio: `${(percentile(jumps, 50) / b50).toFixed(2)}× the baseline's first paint; target < 500 ms`, note: `max ${Math.max(...jumps).toFixed(0)} ms; ${months.length} months` },
        { group, tool: 'scroll frame time (60 wheel steps)', value: `p50 ${percentile(frames, 50).toFixed(1)} ms`, ratio: `p95 ${percentile(frames, 95).toFixed(1)} ms (60 fps = 16.7)`, note: `${frames.length} frames, ${((100 * slow) / Math.max(1, frames.length)).toFixed(0)}% over 17.7 ms` },
      ];
    } finally {
      await serve.stop();
    }
  } finally {
    await browser.close();
  }
}

/** Runs `fn` over items with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** 1080p H.264 clips (5 s), made once with the bundled ffmpeg. */
function videos(dir: string, n: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const ffmpeg = ffmpegCandidates()[0]!;
  return Array.from({ length: n }, (_, i) => {
    const f = path.join(dir, `clip-${i}.mp4`);
    if (!fs.existsSync(f)) execFileSync(ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1920x1080:rate=30,hue=h=${i * 40}`, '-t', '5', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', f]);
    return f;
  });
}

/** 12 MP camera-like JPEGs with EXIF, made once. */
async function photos(dir: string, n: number): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const f = path.join(dir, `IMG_${i}.jpg`);
    if (!fs.existsSync(f)) await sharp(await cameraLikeJpeg(i + 1)).withExif({ IFD0: { Make: 'Canon', Model: 'Canon EOS R6' }, IFD2: { DateTimeOriginal: `2024:0${(i % 9) + 1}:01 10:00:00` } }).jpeg({ quality: 88 }).toFile(f);
    out.push(f);
  }
  return out;
}

/**
 * Issue #16 rows: thumbnail and poster throughput through the engine (worker pool, cached WebP)
 * next to the floors — sharp's own resize of the same JPEGs, and `ffmpeg -ss 1 -frames:v 1` on the
 * same videos at the same parallelism; and the metadata readers and ffmpeg builds the choices in
 * [Note: Two metadata readers] and [Note: Which ffmpeg] rest on.
 */
export async function mediaBench(work: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const jpgs = await photos(path.join(work, 'media-12mp'), 16);
  const clips = videos(path.join(work, 'media-videos'), 6);
  const library = path.join(work, 'library-media');
  fs.rmSync(library, { recursive: true, force: true });
  const engine = Engine.open({ libraryDir: library });
  try {
    const src = path.join(work, 'media-src');
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(src);
    for (const f of [...jpgs, ...clips]) fs.copyFileSync(f, path.join(src, path.basename(f)));
    await engine.upload({ paths: [src] });
    const files = engine.list();
    const ids = (re: RegExp) => files.filter((f) => re.test(f.name)).map((f) => f.fileId);
    const par = engine.thumbnailsConcurrency;
    // thumbnails
    let t = performance.now();
    await Promise.all(ids(/\.jpg$/).map((id) => engine.thumbnail(id)));
    const ours = (performance.now() - t) / 1000;
    t = performance.now();
    await pool(jpgs, par, (f) => sharp(f).autoOrient().resize(320, 320, { fit: 'inside' }).webp({ quality: 70 }).toBuffer());
    const floor = (performance.now() - t) / 1000;
    const g1 = `thumbnails, ${jpgs.length} × 12 MP JPEG`;
    rows.push({ group: g1, tool: 'shoebox (worker pool → cached WebP)', value: `${(jpgs.length / ours).toFixed(1)} files/s`, ratio: `${(ours / floor).toFixed(2)}× the floor's time` });
    rows.push({ group: g1, tool: `sharp resize, ${par} at a time (floor)`, value: `${(jpgs.length / floor).toFixed(1)} files/s` });
    // posters
    t = performance.now();
    const posters = await Promise.all(ids(/\.mp4$/).map((id) => engine.thumbnail(id)));
    const oursV = (performance.now() - t) / 1000;
    const ffmpeg = ffmpegCandidates()[0]!;
    t = performance.now();
    await pool(clips, par, (f) => run(ffmpeg, ['-v', 'error', '-ss', '1', '-i', f, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'png', '-'], { maxBuffer: 64 << 20, encoding: 'buffer' }));
    const floorV = (performance.now() - t) / 1000;
    const g2 = `posters, ${clips.length} × 1080p H.264`;
    rows.push({ group: g2, tool: 'shoebox (frame at 1 s → WebP)', value: `${(clips.length / oursV).toFixed(1)} videos/s`, ratio: `${(oursV / floorV).toFixed(2)}× the floor's time`, note: `${posters.filter((p) => p.kind === 'image').length}/${clips.length} posters` });
    rows.push({ group: g2, tool: `ffmpeg -ss 1 -frames:v 1, ${par} at a time (floor)`, value: `${(clips.length / floorV).toFixed(1)} videos/s` });
    for (const bin of ffmpegCandidates()) {
      const s0 = performance.now();
      for (const f of clips.slice(0, 3)) execFileSync(bin, ['-v', 'error', '-threads', '1', '-ss', '1', '-i', f, '-frames:v', '1', '-vf', 'scale=640:-2', '-f', 'image2pipe', '-vcodec', 'png', '-'], { maxBuffer: 64 << 20 });
      rows.push({ group: 'which ffmpeg makes posters', tool: bin.includes('node_modules') ? 'bundled (@ffmpeg-installer, 4.1 static)' : bin, value: `${((performance.now() - s0) / 3).toFixed(0)} ms/poster` });
    }
    // metadata readers
    const g3 = `capture date + camera, ${jpgs.length} × 12 MP JPEG`;
    t = performance.now();
    for (const f of jpgs) await readImageFacts(f);
    rows.push({ group: g3, tool: 'sharp metadata + exif-reader (used for JPEG/PNG/WebP/TIFF/AVIF)', value: `${((performance.now() - t) / jpgs.length).toFixed(2)} ms/file` });
    for (const [name, opts] of [['exiftool-vendored (bundled Perl ExifTool; HEIC, RAW, video)', {}], ["Debian's libimage-exiftool-perl", { exiftoolPath: '/usr/bin/exiftool' }]] as const) {
      if ('exiftoolPath' in opts && !fs.existsSync(opts.exiftoolPath)) continue;
      const et = new ExifTool({ maxProcs: 1, ...opts });
      try {
        await et.read(jpgs[0]!);
        t = performance.now();
        for (const f of jpgs) await et.read(f);
        rows.push({ group: g3, tool: `${name} ${await et.version()}`, value: `${((performance.now() - t) / jpgs.length).toFixed(2)} ms/file` });
      } finally {
        await et.end();
      }
    }
  } finally {
    await engine.close();
  }
  return rows;
}

type Layer = { cls: string; complete: boolean; naturalWidth: number };

/** Waits until some image layer of the open viewer satisfies `ok`; returns the ms since t0 and the layer. */
async function viewerLayer(page: Page, t0: number, ok: (l: Layer) => boolean, what: string): Promise<{ ms: number; layer: Layer }> {
  for (;;) {
    const layers = await page.locator('sb-viewer img').evaluateAll((els) => els.map((e) => {
      const img = e as unknown as { className: string; complete: boolean; naturalWidth: number };
      return { cls: img.className, complete: img.complete, naturalWidth: img.naturalWidth };
    }));
    const layer = layers.find(ok);
    if (layer) return { ms: performance.now() - t0, layer };
    if (performance.now() - t0 > 120_000) throw new Error(`${what} never showed`);
    await page.waitForTimeout(5);
  }
}

/**
 * The least work that shows a HEIC, in this process: the decoder the engine uses here (the
 * system's libheif where installed, else its WebAssembly build) and a JPEG of it (at most `side` px).
 */
async function heicFloor(file: string, side: number | null, work: string): Promise<number> {
  const t = performance.now();
  const d = await decodeHeic(file, path.join(work, 'floor'));
  try {
    await (side ? d.image.resize(side, side, { fit: 'inside' }) : d.image).jpeg({ quality: 82 }).toBuffer();
  } finally {
    await d.cleanup();
  }
  return performance.now() - t;
}

/**
 * Issue #16 rows: opening the viewer in Chromium on a 24 MP JPEG (shown as it is) and a 12 MP HEIC
 * (decoded once, with its thumbnail, into a display copy of DISPLAY_SIZE; full size when zoomed
 * in): click → first pixels (the grid's thumbnail, blurred), → the screen-sized image, and the
 * full-size HEIC after zooming in. Floors measured in the same run: the same JPEG loaded by the
 * page itself (uncached), and the WebAssembly libheif + JPEG of the same HEIC in the bench process.
 */
export async function viewerBench(work: string): Promise<BenchRow[]> {
  const group = 'viewer: click → pixels';
  const exe = chromiumPath();
  if (!exe) return [{ group, tool: 'shoebox window', value: 'n/a', note: 'Chromium not installed' }];
  const src = path.join(work, 'viewer-src');
  fs.rmSync(src, { recursive: true, force: true });
  fs.mkdirSync(src);
  await sharp(await cameraLikeJpeg(7, 6000, 4000)).withExif({ IFD2: { DateTimeOriginal: '2024:05:02 10:00:00' } }).jpeg({ quality: 88 }).toFile(path.join(src, 'big24.jpg'));
  const heif = have('heif-enc');
  const heicFile = path.join(src, 'phone12.heic');
  if (heif) {
    const png = path.join(work, 'heic-src.png');
    // a photo's smoothness (noise makes a HEIC five times the size a phone writes)
    await sharp(await cameraLikeJpeg(8)).blur(3).png({ compressionLevel: 1 }).toFile(png);
    execFileSync('heif-enc', ['-q', '80', '-t', '320', '-o', heicFile, png], { stdio: 'ignore' }); // with a stored thumbnail, as phones write

  }
  const library = path.join(work, 'library-viewer');
  fs.rmSync(library, { recursive: true, force: true });
  await runCli(['upload', src], { library });
  const serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: path.join(work, 'viewer-config') });
  const browser = await chromium.launch({ executablePath: exe, args: CHROMIUM_ARGS });
  const rows: BenchRow[] = [];
  const open = async (page: Page, name: string): Promise<number> => {
    const tile = page.getByRole('img', { name: new RegExp(`^${name.replace('.', '\\.')}`) });
    await tile.waitFor({ timeout: 60_000 });
    const t0 = performance.now();
    await tile.click();
    return t0;
  };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(serve.url);
    // 24 MP JPEG: shown as it is
    let t0 = await open(page, 'big24.jpg');
    const jFirst = await viewerLayer(page, t0, (l) => l.complete && l.naturalWidth > 0, 'big24.jpg');
    const jFull = await viewerLayer(page, t0, (l) => l.complete && l.naturalWidth === 6000, 'big24.jpg full size');
    const url = await page.locator('sb-viewer img.main').getAttribute('src');
    await page.keyboard.press('Escape');
    const jFloor = await page.evaluate(async (u) => {
      const t = performance.now();
      const img = new (globalThis as unknown as { Image: new () => { src: string; decode(): Promise<void> } }).Image();
      img.src = `${u}?floor=${Date.now()}`;
      await img.decode();
      return performance.now() - t;
    }, url!);
    rows.push({ group, tool: '24 MP JPEG: first pixels (thumbnail)', value: `${jFirst.ms.toFixed(0)} ms` });
    rows.push({ group, tool: '24 MP JPEG: full size', value: `${jFull.ms.toFixed(0)} ms`, ratio: `${(jFull.ms / jFloor).toFixed(2)}× the floor`, note: `floor: the page loads and decodes the same file itself, ${jFloor.toFixed(0)} ms` });
    if (heif) {
      t0 = await open(page, 'phone12.heic');
      const hFirst = await viewerLayer(page, t0, (l) => l.complete && l.naturalWidth > 0, 'phone12.heic');
      const hDisplay = await viewerLayer(page, t0, (l) => l.cls === 'main' && l.complete && l.naturalWidth > 0, 'phone12.heic display copy');
      const t1 = performance.now();
      for (let i = 0; i < 3; i++) await page.keyboard.press('+'); // 32% (fit) to 100%: more pixels on screen than the display copy has
      const hFull = await viewerLayer(page, t1, (l) => l.complete && l.naturalWidth === 4000, 'phone12.heic full size');
      await page.keyboard.press('Escape');
      t0 = await open(page, 'phone12.heic');
      const hCached = await viewerLayer(page, t0, (l) => l.cls === 'main' && l.complete && l.naturalWidth > 0, 'phone12.heic again');
      await page.keyboard.press('Escape');
      const dFloor = await heicFloor(heicFile, DISPLAY_SIZE, work);
      const fFloor = await heicFloor(heicFile, null, work);
      const tools = heifTool('heif-convert') ? `system libheif${heifTool('heif-thumbnailer') ? ' + heif-thumbnailer' : ''}` : 'libheif (WebAssembly)';
      rows.push({ group, tool: '12 MP HEIC, first view: first pixels (thumbnail)', value: `${hFirst.ms.toFixed(0)} ms`, note: `clicked as soon as its tile showed; decoder: ${tools}` });
      rows.push({ group, tool: `12 MP HEIC, first view: display copy (${hDisplay.layer.naturalWidth} px)`, value: `${hDisplay.ms.toFixed(0)} ms`, ratio: `${(hDisplay.ms / dFloor).toFixed(2)}× the floor`, note: `floor: the same decoder + ${DISPLAY_SIZE}-px JPEG in one process, ${dFloor.toFixed(0)} ms` });
      rows.push({ group, tool: '12 MP HEIC: full size after zooming in (4000 px)', value: `${hFull.ms.toFixed(0)} ms`, ratio: `${(hFull.ms / fFloor).toFixed(2)}× the floor`, note: `from the key press (made with the display copy); floor: decoder + full-size JPEG, ${fFloor.toFixed(0)} ms` });
      rows.push({ group, tool: '12 MP HEIC, seen before: display copy', value: `${hCached.ms.toFixed(0)} ms` });
    }
  } finally {
    await browser.close();
    await serve.stop();
  }
  return rows;
}
