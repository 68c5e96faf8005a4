import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
/** The compiled `shoebox` CLI entry. */
export const CLI = fileURLToPath(new URL('../../main/cli/shoebox.js', import.meta.url));
const tempDirs = [];
process.on('exit', () => {
    for (const dir of tempDirs)
        fs.rmSync(dir, { recursive: true, force: true });
});
/** A fresh temp folder, removed when the test process exits. */
export function tempDir(prefix = 'shoebox-test-') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.chmodSync(dir, 0o777); // so a child running as another user (permission tests) can use it
    tempDirs.push(dir);
    return dir;
}
/** A small seeded PRNG (mulberry32) so randomized tests are reproducible from a printed seed. */
export function seededRandom(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
let baseJpeg;
/** A small, valid JPEG; `seed` makes its bytes unique (an extra COM segment) without changing the picture. */
export async function jpeg(seed = randomBytes(8).toString('hex'), extraBytes = 0) {
    baseJpeg ??= await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg().toBuffer();
    return withComment(baseJpeg, Buffer.concat([Buffer.from(`shoebox-fixture:${seed}`), randomBytesSeeded(String(seed), extraBytes)]));
}
/** Inserts COM segments carrying `payload` right after the JPEG's SOI marker. */
export function withComment(jpegBytes, payload) {
    const segments = [jpegBytes.subarray(0, 2)];
    for (let off = 0; off < payload.length || off === 0; off += 65533) {
        const part = payload.subarray(off, off + 65533);
        const header = Buffer.from([0xff, 0xfe, 0, 0]);
        header.writeUInt16BE(part.length + 2, 2);
        segments.push(header, part);
        if (payload.length === 0)
            break;
    }
    segments.push(jpegBytes.subarray(2));
    return Buffer.concat(segments);
}
/** Deterministic pseudo-random bytes from a seed (xorshift), so fixtures are reproducible. */
export function randomBytesSeeded(seed, n) {
    let x = 2166136261;
    for (const ch of seed)
        x = Math.imul(x ^ ch.charCodeAt(0), 16777619) >>> 0;
    const out = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) {
        x ^= x << 13;
        x >>>= 0;
        x ^= x >>> 17;
        x ^= x << 5;
        x >>>= 0;
        out[i] = x & 0xff;
    }
    return out;
}
/** Writes files (relative path → bytes) under root, creating folders. */
export function writeTree(root, files) {
    for (const [rel, bytes] of Object.entries(files)) {
        const p = path.join(root, rel);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, bytes);
    }
}
/** Starts the compiled `shoebox` CLI without waiting (for kill tests). */
export function spawnCli(args, opts) {
    return spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env },
        stdio: 'ignore',
        ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
}
/** Runs the compiled `shoebox` CLI in a child process. */
export function runCli(args, opts) {
    const spawnOpts = {
        env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(opts.cwd ? { cwd: opts.cwd } : {}),
        ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    };
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], spawnOpts);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
}
/** Parses `ls --json` output (one object per line). */
export function parseLines(out) {
    return out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
/** The unprivileged user (nobody) for permission tests when running as root, else undefined. */
export function unprivilegedUid() {
    return process.getuid?.() === 0 ? 65534 : undefined;
}
/** Polls until `check` returns a truthy value (then returns it) or fails after `timeoutMs`. */
export async function waitFor(check, timeoutMs = 10_000, what = 'condition', pollMs = 25) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = await check();
        if (v)
            return v;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, pollMs));
    }
}
//# sourceMappingURL=fixtures.js.map