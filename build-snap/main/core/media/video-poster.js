import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
const run = promisify(execFile);
/**
 * [Note: Which ffmpeg]
 * Posters come from the ffmpeg binary shipped inside the npm package @ffmpeg-installer (4.1,
 * static): nothing is downloaded at install, and it is the same on every machine. Measured here
 * (1080p H.264, one frame 1 s in, scaled to 640 px): bundled 8 ms to start and ~600 ms per poster,
 * Debian's ffmpeg 5.1 222 ms to start (it loads ~100 shared libraries) and ~800–1000 ms per
 * poster. A system ffmpeg (or SHOEBOX_FFMPEG) is tried after the bundled one fails, since a newer
 * build decodes codecs the 2018 one doesn't.
 */
export function ffmpegCandidates(env = process.env) {
    const out = [];
    if (env.SHOEBOX_FFMPEG)
        out.push(env.SHOEBOX_FFMPEG);
    try {
        const bundled = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg').path;
        // Inside a packaged app the binary is unpacked beside the asar.
        out.push(bundled.replace(/\.asar([\\/])/, '.asar.unpacked$1'));
    }
    catch {
        // this platform has no bundled build: the system's is the only one
    }
    for (const p of ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg', '/opt/homebrew/bin/ffmpeg'])
        if (fs.existsSync(p))
            out.push(p);
    return [...new Set(out)];
}
/**
 * One frame of a video as a PNG, ~1 s in (as the anchors' posters), scaled to at most `width`
 * pixels wide; the first frame for clips shorter than that. Throws with ffmpeg's message when no
 * ffmpeg can decode it (a corrupt video): the caller shows a placeholder and goes on.
 */
export async function videoFrame(file, width, opts = {}) {
    const errors = [];
    for (const ffmpeg of opts.candidates ?? ffmpegCandidates()) {
        for (const at of ['1', '0']) {
            try {
                const { stdout } = await run(ffmpeg, ['-v', 'error', '-nostdin', '-threads', '1', '-ss', at, '-i', file, '-frames:v', '1', '-vf', `scale='min(${width},iw)':-2`, '-f', 'image2pipe', '-vcodec', 'png', '-'], {
                    encoding: 'buffer', maxBuffer: 64 << 20, timeout: opts.timeoutMs ?? 60_000,
                });
                if (stdout.length > 0)
                    return stdout;
                errors.push(`${ffmpeg}: no frame at ${at} s`);
            }
            catch (err) {
                const e = err;
                errors.push(`${ffmpeg}: ${e.stderr?.toString().trim().split('\n').at(-1) || e.message}`);
                break; // this ffmpeg can't read it: try the next one
            }
        }
    }
    throw new Error(errors.length ? errors.join('; ') : 'no ffmpeg found');
}
//# sourceMappingURL=video-poster.js.map