import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import WebSocket from 'ws';
import { MAX_REQUEST_BYTES, isMethod, methods, request as requestSchema } from '../../main/core/api/contract.js';
import { ApiDispatcher } from '../../main/core/api/dispatcher.js';
import { Engine } from '../../main/core/engine.js';
import { silentLogger } from '../../main/core/logger.js';
import { PrefsStore } from '../../main/core/prefs/prefs-store.js';
import { registerIpc } from '../../main/electron/ipc-bridge.js';
import { rendererIndexUrl } from '../../main/electron/window-security.js';
import { jpeg, runCli, tempDir } from '../support/fixtures.js';
import { openSocket, request, startServeProcess } from '../support/serve-process.js';

/** What the API-abuse part did. */
export interface FuzzResult {
  /** Messages sent (WebSocket frames and IPC calls), guard probes included. */
  messages: number;
  violations: string[];
  lost: string[];
}

type Reply = { id: number | null; ok: boolean; error?: { code: string; userMessage: string } };

const METHOD_NAMES = Object.keys(methods) as Array<keyof typeof methods>;

/** Everything a call could change, one digest per part: the catalog tables that matter and the preferences files. */
function fingerprint(library: string, configDir: string): Map<string, string> {
  const db = new Database(path.join(library, 'catalog.sqlite'), { readonly: true, fileMustExist: true });
  const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
  try {
    const parts = new Map<string, string>();
    for (const sql of [
      'SELECT id, name, blob_hash, trashed_at, previous_version_id FROM files ORDER BY id',
      'SELECT album_id, file_id FROM memberships ORDER BY album_id, file_id',
      'SELECT id, name, kind FROM albums ORDER BY id',
      'SELECT * FROM watches ORDER BY id',
      'SELECT * FROM trash_memberships ORDER BY file_id, album_id',
      'SELECT path, album_id, file_id, hash FROM source_records ORDER BY id',
      'SELECT hash, size FROM blobs ORDER BY hash',
      'SELECT COUNT(*) FROM ignored_sources',
    ]) parts.set(sql, digest(db.prepare(sql).raw().all()));
    for (const f of fs.existsSync(configDir) ? fs.readdirSync(configDir).sort() : []) parts.set(`preferences ${f}`, digest(fs.readFileSync(path.join(configDir, f), 'utf8')));
    return parts;
  } finally {
    db.close();
  }
}

/** The parts that differ between two fingerprints. */
function changed(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}

/**
 * Calls that pass the contract's schema but point where no one chose: relative paths, the
 * library itself, devices, folders that do not exist, ids that do not exist. Each must be
 * refused with a typed error (or do nothing) and change nothing.
 */
function hostileValidCalls(library: string): Array<[string, unknown]> {
  const paths = ['/definitely/not/here', library, path.join(library, 'objects'), path.join(library, 'catalog.sqlite'), '/dev/null', '/dev/zero', `/${'x'.repeat(4000)}`, '/proc/self/fd/0/../../..', '/sys', '/'];
  return [
    ...paths.flatMap((p): Array<[string, unknown]> => [['watches.inspect', { path: p }], ['watches.add', { path: p, mode: 'single' }], ['watches.remove', { path: p }], ['watches.setPaused', { path: p, paused: true }], ['upload.paths', { paths: [p] }], ['freeUp.review', { paths: [p] }]]),
    ['freeUp.apply', { reviewId: '0'.repeat(16) }],
    ['upload.commitBatch', { batchId: '0'.repeat(32) }],
    ['files.thumbnail', { fileId: 999_999 }],
    ['files.list', { albumId: 999_999, offset: 0, limit: 10 }],
    ['trash.restore', { fileIds: [999_999] }],
    ['dedup.apply', { selections: [{ hash: 'f'.repeat(64), keep: 999_998, fileIds: [999_998, 999_999] }] }],
    ['similar.apply', { selections: [{ keep: [999_998], remove: [999_999] }] }],
  ];
}

/** Params that the method's schema refuses (valid calls legitimately act, so they are left out). */
function invalidParams(method: keyof typeof methods): fc.Arbitrary<unknown> {
  const schema = methods[method].params;
  const near = fc.oneof(
    fc.dictionary(fc.constantFrom('path', 'paths', 'fileId', 'fileIds', 'albumId', 'offset', 'limit', 'paused', 'mode', 'threshold', 'selections', 'batchId', 'enabled', 'max', 'purpose', '__proto__', 'constructor'), fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.double(), fc.constant('../../etc'), fc.constant('relative/dir'), fc.constant('a\0b'))),
    fc.anything({ maxDepth: 3 }),
  );
  // judged as sent: JSON turns NaN into null, drops undefined…
  return near.map((p) => (JSON.parse(JSON.stringify({ p })) as { p?: unknown }).p).filter((p) => !schema.safeParse(p ?? {}).success);
}

/** Whole frames: garbage, JSON that is not a request, envelopes with bad ids, methods or params. */
function frames(): fc.Arbitrary<string | Buffer> {
  const envelope = fc.record({
    id: fc.oneof(fc.nat(), fc.integer({ min: -5, max: -1 }), fc.double(), fc.string(), fc.constant(null)),
    method: fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.string({ maxLength: 120 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty')),
    params: fc.anything({ maxDepth: 3 }),
  }, { requiredKeys: [] });
  return fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json({ maxDepth: 3 }),
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
    envelope.map((e) => JSON.stringify(e)),
    fc.tuple(envelope, fc.string({ maxLength: 10 })).map(([e, k]) => JSON.stringify({ ...e, [k || 'extra']: 1 })),
    fc.nat({ max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  );
}

/** True if the frame is a well-formed call whose params its method accepts. */
function isValidCall(f: string | Buffer): boolean {
  try {
    const r = requestSchema.safeParse(JSON.parse(f.toString()));
    return r.success && isMethod(r.data.method) && methods[r.data.method].params.safeParse(r.data.params ?? {}).success;
  } catch {
    return false;
  }
}

/** Sends frames without waiting (pipelined, out of order by design) and collects one reply per frame. */
async function pipelined(ws: WebSocket, out: Array<string | Buffer>, timeoutMs = 30_000): Promise<Reply[]> {
  const replies: Reply[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${replies.length} of ${out.length} replies after ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as Reply & { event?: string };
      if (msg.event) return;
      replies.push(msg);
      if (replies.length === out.length) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        ws.off('close', onClose);
        resolve();
      }
    };
    const onClose = () => reject(new Error('the server closed the connection'));
    ws.on('message', onMessage);
    ws.once('close', onClose);
  });
  for (const f of out) ws.send(f);
  await done;
  return replies;
}

/** Checks one reply to a call that must not succeed in changing anything: a typed error, never INTERNAL. */
function judge(where: string, r: Reply | { ok: boolean; error?: { code: string; userMessage: string } }, mayAnswer: boolean, violations: string[]): void {
  if (r.ok) {
    if (!mayAnswer) violations.push(`${where}: accepted`);
    return;
  }
  if (!r.error || typeof r.error.code !== 'string' || typeof r.error.userMessage !== 'string' || r.error.userMessage.length === 0) violations.push(`${where}: an untyped error ${JSON.stringify(r).slice(0, 200)}`);
  else if (r.error.code === 'INTERNAL') violations.push(`${where}: INTERNAL error (${r.error.userMessage.slice(0, 150)})`);
}

/**
 * API abuse (issue #11): property-based messages over the `serve` WebSocket and the Electron IPC
 * handler — malformed, oversized, pipelined, unknown methods, every method with params its schema
 * refuses, and schema-valid calls pointing where nobody chose. Every one gets a typed error, the
 * process stays up, and the library (catalog and preferences) is bit-for-bit what it was.
 * Reproducible from the seed.
 */
export async function apiFuzz(opts: { seed: number; runs: number }): Promise<FuzzResult> {
  const res: FuzzResult = { messages: 0, violations: [], lost: [] };
  const src = tempDir('shoebox-fuzz-');
  for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(src, `p${i}.jpg`), await jpeg(`fuzz-${i % 4}`)); // two duplicate pairs
  const library = path.join(tempDir(), 'lib');
  const up = await runCli(['upload', src], { library });
  if (up.code !== 0) throw new Error(`fuzz set-up upload failed: ${up.stderr}`);
  const ipcLibrary = path.join(tempDir(), 'lib');
  fs.cpSync(library, ipcLibrary, { recursive: true });
  const config = tempDir();
  const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt: number) => fc.sample(arb, { seed: opts.seed + salt, numRuns: n });

  // --- the WebSocket of `shoebox serve`
  const serve = await startServeProcess(library, { SHOEBOX_CONFIG_DIR: config });
  const before = fingerprint(library, config); // after serve wrote its default preferences
  try {
    const login = await request(serve.port, { path: `/?token=${serve.token}` });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const guards: Array<[string, () => Promise<boolean>]> = [
      ['no token', async () => (await request(serve.port, { path: '/' })).status === 401],
      ['wrong token', async () => (await request(serve.port, { path: `/?token=${'0'.repeat(64)}` })).status === 401],
      ['token in Referer', async () => (await request(serve.port, { path: '/main.js', headers: { Referer: serve.url } })).status === 401],
      ['DNS-rebinding Host', async () => (await request(serve.port, { headers: { Cookie: cookie, Host: `evil.example:${serve.port}` } })).status === 421],
      ['cross-origin WebSocket', async () => openSocket(serve.port, { Origin: 'http://evil.example', Cookie: cookie }).then((w) => (w.close(), false), () => true)],
      ['WebSocket without the cookie', async () => openSocket(serve.port, { Origin: serve.origin }).then((w) => (w.close(), false), () => true)],
    ];
    for (const [what, refused] of guards) {
      res.messages++;
      if (!(await refused())) res.violations.push(`serve: ${what} was not refused`);
    }
    let ws = await openSocket(serve.port, { Origin: serve.origin, Cookie: cookie });
    const raw = sample(frames(), opts.runs, 1);
    const perMethod = METHOD_NAMES.flatMap((m, k) => sample(invalidParams(m), Math.max(3, Math.ceil(opts.runs / METHOD_NAMES.length)), 100 + k).map((p) => [m, p] as const));
    const valid = hostileValidCalls(library);
    const batches: Array<{ out: Array<string | Buffer>; mayAnswer: boolean[]; label: string[] }> = [];
    const push = (out: string | Buffer, mayAnswer: boolean, label: string) => {
      if (!batches.length || batches.at(-1)!.out.length >= 100) batches.push({ out: [], mayAnswer: [], label: [] });
      const b = batches.at(-1)!;
      b.out.push(out);
      b.mayAnswer.push(mayAnswer);
      b.label.push(label);
    };
    let id = 1;
    for (const f of raw) if (!isValidCall(f)) push(f, false, `frame ${JSON.stringify(f.toString().slice(0, 80))}`); // a valid call acts: not abuse
    for (const [m, p] of perMethod) push(JSON.stringify({ id: id++, method: m, params: p }), false, `${m} ${JSON.stringify(p)?.slice(0, 80)}`);
    for (const [m, p] of valid) push(JSON.stringify({ id: id++, method: m, params: p }), true, `${m} ${JSON.stringify(p).slice(0, 80)}`);
    for (const b of batches) {
      const replies = await pipelined(ws, b.out);
      res.messages += b.out.length;
      // replies can come back in any order; match the numbered ones by id
      const byId = new Map(replies.filter((r) => typeof r.id === 'number').map((r) => [r.id, r]));
      b.out.forEach((f, i) => {
        let sentId: unknown;
        try {
          sentId = (JSON.parse(f.toString()) as { id?: unknown })?.id;
        } catch {
          sentId = undefined;
        }
        const r = typeof sentId === 'number' && Number.isInteger(sentId) && sentId >= 0 ? byId.get(sentId) : undefined;
        if (r) judge(`WebSocket ${b.label[i]}`, r, b.mayAnswer[i]!, res.violations);
      });
      for (const r of replies) judge('WebSocket reply', r, true, res.violations);
    }
    // oversized, then a connection dropped with calls in flight
    const big = await pipelined(ws, [JSON.stringify({ id: 1, method: 'status.get', params: { pad: 'x'.repeat(MAX_REQUEST_BYTES) } })]);
    res.messages++;
    if (big[0]?.error?.code !== 'TOO_LARGE') res.violations.push(`oversized frame: ${JSON.stringify(big[0]).slice(0, 200)}`);
    for (let i = 0; i < 20; i++) ws.send(JSON.stringify({ id: 9000 + i, method: i % 2 ? 'storage.get' : 'dedup.groups', params: i % 2 ? {} : { offset: 0, limit: 500 } }));
    res.messages += 20;
    ws.terminate();
    ws = await openSocket(serve.port, { Origin: serve.origin, Cookie: cookie });
    const alive = await pipelined(ws, [JSON.stringify({ id: 1, method: 'status.get', params: {} })]);
    if (!alive[0]?.ok) res.violations.push(`serve does not answer after the abuse: ${JSON.stringify(alive[0]).slice(0, 200)}`);
    ws.close();
    if (serve.child.exitCode !== null) res.violations.push(`serve exited (${serve.child.exitCode})`);
    if (/\n\s+at .+\.js:\d+:\d+/.test(serve.output())) res.violations.push(`serve printed a stack trace: ${serve.output().slice(-400)}`);
  } finally {
    await serve.stop();
  }
  for (const part of changed(before, fingerprint(library, config))) res.lost.push(`WebSocket: changed ${part}`);

  // --- the Electron IPC handler (main side, in this process)
  const ipcConfig = tempDir();
  const engine = Engine.open({ libraryDir: ipcLibrary });
  const prefs = new PrefsStore(ipcConfig);
  prefs.get();
  const ipcBefore = fingerprint(ipcLibrary, ipcConfig);
  try {
    const dispatcher = new ApiDispatcher(engine, { shell: 'electron', nativeDialogs: true, uploadUrl: null, prefs, applyLaunchAtStartup: () => undefined }, silentLogger);
    type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<{ ok: boolean; error?: { code: string; userMessage: string } }>;
    let handler: Handler | undefined;
    const index = rendererIndexUrl('/opt/shoebox/build/renderer');
    const stop = registerIpc({ handle: (_c: string, fn: Handler) => (handler = fn), removeHandler: () => undefined } as unknown as IpcMain, dispatcher, index, () => []);
    const from = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent;
    try {
      const calls = sample(fc.tuple(fc.oneof(fc.constantFrom(...METHOD_NAMES), fc.anything({ maxDepth: 1 })), fc.anything({ maxDepth: 3 })), opts.runs, 7);
      for (const [m, p] of calls) {
        const known = typeof m === 'string' && (METHOD_NAMES as string[]).includes(m);
        if (known && methods[m as keyof typeof methods].params.safeParse(p ?? {}).success) continue; // a valid call acts
        judge(`IPC ${String(typeof m === 'string' ? m : typeof m)}`, await handler!(from(index), m, p), false, res.violations);
        res.messages++;
      }
      for (const [m, p] of hostileValidCalls(ipcLibrary)) {
        judge(`IPC ${m}`, await handler!(from(index), m, p), true, res.violations);
        res.messages++;
      }
      for (const url of ['https://evil.example/', 'file:///tmp/other.html', '', 'devtools://devtools/bundled/inspector.html']) {
        const r = await handler!(from(url), 'trash.empty', {});
        res.messages++;
        if (r.ok || r.error?.code !== 'FORBIDDEN') res.violations.push(`IPC from ${url || '(no frame)'} was not refused`);
      }
    } finally {
      stop();
    }
  } finally {
    await engine.close();
  }
  for (const part of changed(ipcBefore, fingerprint(ipcLibrary, ipcConfig))) res.lost.push(`IPC: changed ${part}`);
  return res;
}
