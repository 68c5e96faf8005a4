import fs from 'node:fs';
import path from 'node:path';
import type WebSocket from 'ws';
import { jpeg, parseLines, runCli, tempDir, waitFor } from '../support/fixtures.js';
import { openSocket, request, startServeProcess, type ServeProcess } from '../support/serve-process.js';
import { memoryMb, percentile } from '../support/process-stats.js';

/** What the load part measured. */
export interface LoadResult {
  files: number;
  burst: number;
  initialSyncS: number;
  /** From the first new file of the burst to the last one backed up. */
  burstS: number;
  /** Peak resident memory of the `serve` process (kernel's VmHWM). */
  peakRssMb: number;
  /** The serve process's event-loop lag over the whole run (monitorEventLoopDelay). */
  loopLagMs: { p50: number; p99: number; max: number };
  /** A `status.get` round trip every 100 ms during the burst: what a click in the window waits. */
  clickMs: { p50: number; p99: number };
  statusEvents: number;
  violations: string[];
  lost: string[];
}

/** What the load part reads of `status.get`. */
export type Status = { files: number; sync: { queued: number; state: string; watches: Array<{ state: string }> } | null };

/** One numbered photo (distinct bytes, so every file is its own blob). */
function photo(base: Buffer, n: number): Buffer {
  const b = Buffer.from(base);
  b.write(String(n).padStart(10, '0'), 26, 'latin1'); // inside the comment segment's random bytes: still a valid JPEG
  return b;
}

/** A client of the serve WebSocket that keeps the latest pushed status and can time calls. */
export function windowClient(ws: WebSocket) {
  let nextId = 1;
  const waiting = new Map<number, (r: { ok: boolean; result?: unknown }) => void>();
  const state = { events: 0, last: undefined as Status | undefined };
  ws.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { event?: string; data?: unknown; id?: number; ok: boolean; result?: unknown };
    if (msg.event === 'status') {
      state.events++;
      state.last = msg.data as Status;
    } else if (typeof msg.id === 'number') waiting.get(msg.id)?.(msg);
  });
  const call = (method: string, params: unknown = {}) =>
    new Promise<{ ok: boolean; result?: unknown }>((resolve) => {
      const id = nextId++;
      waiting.set(id, (r) => (waiting.delete(id), resolve(r)));
      ws.send(JSON.stringify({ id, method, params }));
    });
  /** Whether the engine has backed up `n` files and every watch is idle and watching. */
  const caughtUp = async (n: number): Promise<boolean> => {
    const r = await call('status.get');
    const s = r.result as Status;
    if (process.env.SHOEBOX_LOAD_DEBUG) console.error(JSON.stringify({ files: s.files, sync: s.sync && { ...s.sync, watches: s.sync.watches.map((w) => w.state) } }));
    return r.ok && s.files === n && s.sync !== null && s.sync.queued === 0 && s.sync.state !== 'syncing' && s.sync.watches.every((w) => w.state === 'watching');
  };
  /** Clicks like a window (status.get every `ms`) until the returned stop, which gives each round trip in ms. */
  const clickEvery = (ms: number): (() => Promise<number[]>) => {
    const clicks: number[] = [];
    let clicking = true;
    const clicker = (async () => {
      while (clicking) {
        const t = performance.now();
        await call('status.get');
        clicks.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, ms));
      }
    })();
    return async () => {
      clicking = false;
      await clicker;
      return clicks;
    };
  };
  return { state, call, caughtUp, clickEvery };
}

/** Logs in to a `serve` process as the window does and opens its WebSocket. */
export async function loginSocket(serve: ServeProcess): Promise<WebSocket> {
  const login = await request(serve.port, { path: `/?token=${serve.token}` });
  return openSocket(serve.port, { Origin: serve.origin, Cookie: String(login.headers['set-cookie']).split(';')[0]! });
}

/**
 * Load (issue #11): a watched tree of `files` photos in `folders` folders, served to a connected
 * window client; then `burst` new files written at once. No file may be missed or backed up
 * twice, the window's pushed status must end at the true count, memory stays bounded, and the
 * window keeps answering (round trips and event-loop lag are measured, not asserted).
 */
export async function loadTest(opts: { files: number; folders: number; burst: number }): Promise<LoadResult> {
  const root = path.join(tempDir('shoebox-load-'), 'Tree');
  const base = await jpeg('load', 16);
  const perFolder = Math.ceil(opts.files / opts.folders);
  for (let i = 0; i < opts.files; i++) {
    const dir = path.join(root, `F${String(Math.floor(i / perFolder)).padStart(5, '0')}`);
    if (i % perFolder === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `IMG_${i}.jpg`), photo(base, i));
  }
  const library = path.join(tempDir(), 'lib');
  const started = Date.now();
  const add = await runCli(['watch', 'add', root, '--mode', 'separate'], { library }); // backs the tree up
  if (add.code !== 0) throw new Error(`watch add failed: ${add.stderr}`);
  const res: LoadResult = { files: opts.files, burst: opts.burst, initialSyncS: 0, burstS: 0, peakRssMb: 0, loopLagMs: { p50: NaN, p99: NaN, max: NaN }, clickMs: { p50: NaN, p99: NaN }, statusEvents: 0, violations: [], lost: [] };
  const serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: tempDir(), SHOEBOX_DIAGNOSTICS: '1' });
  let ws: WebSocket | undefined;
  try {
    ws = await loginSocket(serve);
    const ui = windowClient(ws);
    await waitFor(() => ui.caughtUp(opts.files), 30 * 60_000, `the first ${opts.files} files to be backed up`, 500);
    res.initialSyncS = (Date.now() - started) / 1000;

    // the burst, with the window clicking (status.get) every 100 ms
    const stopClicking = ui.clickEvery(100);
    const burstStart = Date.now();
    // written asynchronously, a folder at a time, so this process (the window's side) keeps
    // answering its own clicks: a synchronous loop here would be measured as server lag
    const per = 250;
    for (let start = 0; start < opts.burst; start += per) {
      const dir = path.join(root, 'Burst', `B${String(Math.floor(start / per)).padStart(3, '0')}`);
      await fs.promises.mkdir(dir, { recursive: true });
      await Promise.all(Array.from({ length: Math.min(per, opts.burst - start) }, (_, k) => fs.promises.writeFile(path.join(dir, `NEW_${start + k}.jpg`), photo(base, opts.files + start + k))));
    }
    const total = opts.files + opts.burst;
    await waitFor(() => ui.caughtUp(total), 30 * 60_000, `the burst of ${opts.burst} to be backed up`, 250);
    res.burstS = (Date.now() - burstStart) / 1000;
    const clicks = await stopClicking();
    res.clickMs = { p50: Math.round(percentile(clicks, 50)), p99: Math.round(percentile(clicks, 99)) };
    // the window learns the final count from a pushed event, not only when it asks
    await waitFor(() => ui.state.last?.files === total, 60_000, 'a status event with the final count').catch(() => res.violations.push(`the last status event said ${ui.state.last?.files} files, not ${total}`));
    res.statusEvents = ui.state.events;
    res.peakRssMb = Math.round(memoryMb(serve.child.pid).peak);
  } finally {
    ws?.close();
    const code = await serve.stop();
    if (code !== 0) res.violations.push(`serve exited ${code}: ${serve.output().slice(-300)}`);
  }
  const diag = /shoebox: diagnostics (\{.*\})/.exec(serve.output());
  if (diag) res.loopLagMs = (JSON.parse(diag[1]!) as { eventLoopLagMs: LoadResult['loopLagMs'] }).eventLoopLagMs;
  else res.violations.push('serve printed no diagnostics');

  // every file on disk exactly once, in its folder's album
  const rows = parseLines<{ album: string; name: string }>((await runCli(['--json', 'ls'], { library })).stdout);
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(`${r.album}/${r.name}`, (seen.get(`${r.album}/${r.name}`) ?? 0) + 1);
  const twice = [...seen.values()].filter((n) => n > 1).length;
  if (twice) res.violations.push(`${twice} files backed up more than once`);
  for (let i = 0; i < opts.files + opts.burst; i++) {
    const album = i < opts.files ? `F${String(Math.floor(i / perFolder)).padStart(5, '0')}` : `B${String(Math.floor((i - opts.files) / 250)).padStart(3, '0')}`;
    const name = i < opts.files ? `IMG_${i}.jpg` : `NEW_${i - opts.files}.jpg`;
    if (!seen.has(`${album}/${name}`)) res.lost.push(`${album}/${name}`);
  }
  fs.rmSync(path.dirname(root), { recursive: true, force: true });
  return res;
}
