import { spawn, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** The compiled `shoebox` CLI entry. */
export const CLI = fileURLToPath(new URL('../../main/cli/shoebox.cjs', import.meta.url));

const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test process exits. */
export function tempDir(prefix = 'shoebox-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o777); // so a child running as another user (permission tests) can use it
  tempDirs.push(dir);
  return dir;
}

/** A small seeded PRNG (mulberry32) so randomized tests are reproducible from a printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let baseJpeg: Buffer | undefined;

/** A small, valid JPEG; `seed` makes its bytes unique (an extra COM segment) without changing the picture. */
export async function jpeg(seed: string | number = randomBytes(8).toString('hex'), extraBytes = 0): Promise<Buffer> {
  baseJpeg ??= await sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 200, g: 120, b: 40 } } }).jpeg().toBuffer();
  return withComment(baseJpeg, Buffer.concat([Buffer.from(`shoebox-fixture:${seed}`), randomBytesSeeded(String(seed), extraBytes)]));
}

/** Inserts COM segments carrying `payload` right after the JPEG's SOI marker. */
export function withComment(jpegBytes: Buffer, payload: Buffer): Buffer {
  const segments: Buffer[] = [jpegBytes.subarray(0, 2)];
  for (let off = 0; off < payload.length || off === 0; off += 65533) {
    const part = payload.subarray(off, off + 65533);
    const header = Buffer.from([0xff, 0xfe, 0, 0]);
    header.writeUInt16BE(part.length + 2, 2);
    segments.push(header, part);
    if (payload.length === 0) break;
  }
  segments.push(jpegBytes.subarray(2));
  return Buffer.concat(segments);
}

/** Deterministic pseudo-random bytes from a seed (xorshift), so fixtures are reproducible. */
export function randomBytesSeeded(seed: string, n: number): Buffer {
  let x = 2166136261;
  for (const ch of seed) x = Math.imul(x ^ ch.charCodeAt(0), 16777619) >>> 0;
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Writes files (relative path → bytes) under root, creating folders. */
export function writeTree(root: string, files: Record<string, Buffer | string>): void {
  for (const [rel, bytes] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, bytes);
  }
}

/** Result of running the CLI. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts the compiled `shoebox` CLI without waiting (for kill tests). */
export function spawnCli(args: string[], opts: { library: string; env?: NodeJS.ProcessEnv; uid?: number }): import('node:child_process').ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env },
    stdio: 'ignore',
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
}

/** Runs the compiled `shoebox` CLI in a child process. */
export function runCli(args: string[], opts: { library: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; cwd?: string } ): Promise<CliRun> {
  return startCli(args, opts).done;
}

const started = new Set<import('node:child_process').ChildProcess>();

/** Kills CLIs started by startCli that are still running (an `after` hook, so a failed test cannot leave one holding the test file open). */
export function killStartedClis(): void {
  for (const child of started) child.kill('SIGKILL');
}

/** Starts the compiled `shoebox` CLI with its output captured; `done` resolves when it exits. */
export function startCli(args: string[], opts: { library: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; cwd?: string }): { child: import('node:child_process').ChildProcess; done: Promise<CliRun> } {
  const spawnOpts: SpawnOptions = {
    env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
  };
  const child = spawn(process.execPath, [CLI, ...args], spawnOpts);
  started.add(child);
  child.on('exit', () => started.delete(child));
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Parses `ls --json` output (one object per line). */
export function parseLines<T>(out: string): T[] {
  return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);
}

/** The unprivileged user (nobody) for permission tests when running as root, else undefined. */
export function unprivilegedUid(): number | undefined {
  return process.getuid?.() === 0 ? 65534 : undefined;
}

/**
 * Waits for `check` while work goes on: fails only when `progress()` (e.g. a count of files done)
 * has not changed for `stallMs`, so a loaded machine that is slow but moving never fails it.
 */
export async function waitWhileProgressing<T>(check: () => T | Promise<T>, progress: () => unknown, stallMs: number, what = 'condition', pollMs = 50): Promise<T> {
  let last = JSON.stringify(progress());
  let since = Date.now();
  for (;;) {
    const v = await check();
    if (v) return v;
    const now = JSON.stringify(progress());
    if (now !== last) [last, since] = [now, Date.now()];
    else if (Date.now() - since > stallMs) throw new Error(`no progress for ${stallMs} ms waiting for ${what} (at ${now})`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Polls until `check` returns a truthy value (then returns it) or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition', pollMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * Runs the engine (`run`: its start-up scan, then live changes) until `check` holds, then stops
 * it: for tests that change a watched folder while no engine runs.
 */
export async function runUntil(engine: { run(): Promise<{ stop(): Promise<void> }> }, check: () => boolean, what: string): Promise<void> {
  const run = await engine.run();
  try {
    await waitFor(check, 30_000, what);
  } finally {
    await run.stop();
  }
}
