import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import sharp from 'sharp';
import WebSocket from 'ws';
import { CLI } from './fixtures.js';

/** A `shoebox serve` child process and its URL. */
export interface ServeProcess {
  url: string;
  origin: string;
  port: number;
  token: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts `shoebox serve --port 0` (any free port) on a library and waits for its URL (printed before
 * the start-up catch-up of every watch; readyWithinMs is a fail-safe a bench may lengthen).
 */
export async function startServeProcess(library: string, env: NodeJS.ProcessEnv = {}, extraArgs: string[] = ['--port', '0'], opts: { readyWithinMs?: number } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...extraArgs], { env: { ...process.env, SHOEBOX_LIBRARY: library, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + (opts.readyWithinMs ?? 120_000); // a fail-safe only: a loaded machine starts node slowly
  let m: RegExpExecArray | null = null;
  while (!(m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})/.exec(out))) {
    if (child.exitCode !== null) throw new Error(`shoebox serve exited (${child.exitCode}): ${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL'); // never left running behind a failed start
      throw new Error(`shoebox serve printed no URL: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(m[1]);
  return {
    url: m[0], origin: `http://127.0.0.1:${port}`, port, token: m[2]!, child, output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** The Chromium to drive: $SHOEBOX_CHROMIUM, else Debian's. Undefined if none is installed. */
export function chromiumPath(): string | undefined {
  const p = process.env.SHOEBOX_CHROMIUM ?? '/usr/bin/chromium';
  return fs.existsSync(p) ? p : undefined;
}

/** Flags for headless Chromium on our machines (no network, root, no GPU). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** One plain HTTP request to a local server. */
export function request(port: number, opts: { path?: string; method?: string; headers?: Record<string, string>; body?: string | Buffer; host?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: opts.host ?? '127.0.0.1', port, path: opts.path ?? '/', method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Opens the serve WebSocket with these headers; rejects with "refused NNN" when the upgrade is refused. */
export function openSocket(port: number, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Sends one frame and resolves with the next reply (status events skipped). */
export function ask(ws: WebSocket, text: string | Buffer): Promise<{ id: number | null; ok: boolean; error?: { code: string; userMessage: string }; result?: unknown }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as { event?: string; id: number | null; ok: boolean };
      if (msg.event) return; // status pushes
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
    ws.send(text);
  });
}

/** Debian's Chromium with one page open on the serve window; a script error in the page fails the test. */
export async function openWindow(url: string, viewport = { width: 1280, height: 900 }): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport });
  page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  await page.goto(url);
  return { browser, page };
}

/** Saves a screenshot to test-results/screenshots/NAME.png and checks it shows something (not one flat fill). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.resolve('test-results', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  const { channels } = await sharp(file).stats();
  assert.ok(channels.some((c) => c.stdev > 8), `${name}.png looks blank`);
  return file;
}
