import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
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

/** Starts `shoebox serve --port 0` (any free port) on a library and waits for its URL. */
export async function startServeProcess(library: string, env: NodeJS.ProcessEnv = {}, extraArgs: string[] = ['--port', '0']): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', ...extraArgs], { env: { ...process.env, SHOEBOX_LIBRARY: library, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64})/.exec(out))) {
    if (child.exitCode !== null) throw new Error(`shoebox serve exited (${child.exitCode}): ${out}`);
    if (Date.now() > deadline) throw new Error(`shoebox serve printed no URL: ${out}`);
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
