import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiDispatcher } from '../../core/api/dispatcher.js';
import { ShoeboxError, isErrno } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { MediaService } from '../../core/media/media-service.js';
import { MEDIA_PREFIX, serveMedia } from './serve-media.js';

/** The bundled renderer (renderer/build.mjs writes it). */
export const RENDERER_DIR = fileURLToPath(new URL('../../../renderer/', import.meta.url));

const COOKIE = 'sb_token';
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon' };

/** A running `shoebox serve`. */
export interface ServeHandle {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * [Note: serve security]
 * Bound to 127.0.0.1 only. A random per-run token is required on every request: the printed
 * URL carries it once, the server turns it into an HttpOnly SameSite=Strict cookie and
 * redirects to a URL without it (so it never lands in history or a Referer). Requests must
 * name this server in Host (no DNS rebinding); the WebSocket and uploads must come from this
 * origin. Strict CSP, no remote content.
 */
export async function startServe(opts: { dispatcher: ApiDispatcher; log: Logger; port?: number; explicitPort: boolean; uploadRoot: string; rendererDir?: string; media?: MediaService }): Promise<ServeHandle> {
  const token = randomBytes(32).toString('hex');
  const rendererDir = opts.rendererDir ?? RENDERER_DIR;
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new ShoeboxError('INTERNAL', `The window's files are missing (${rendererDir}). Run \`npm run build\` first.`);
  }
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  const authed = (req: http.IncomingMessage) => safeEqual(parseCookies(req.headers.cookie)[COOKIE] ?? '', token);

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.log.error('serve request failed', { url: req.url, error: (err as Error).message });
      if (!res.headersSent) send(res, 500, 'text/plain', 'Shoebox: internal error (see the terminal).');
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, 'text/plain', 'Shoebox only answers to 127.0.0.1 and localhost.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'GET' && url.pathname === '/' && url.searchParams.has('token')) {
      if (!safeEqual(url.searchParams.get('token') ?? '', token)) return send(res, 401, 'text/plain', unauthorized);
      res.writeHead(303, { 'Set-Cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, Location: '/', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!authed(req)) return send(res, 401, 'text/plain', unauthorized);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) return receiveUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'Method not allowed.');
    if (opts.media && url.pathname.startsWith(MEDIA_PREFIX)) return serveMedia(opts.media, req, res, url.pathname, opts.log);
    const rel = url.pathname === '/' ? 'index.html' : decodePath(url.pathname.slice(1));
    if (rel === null) return send(res, 400, 'text/plain', 'Bad request: the address is not valid percent-encoding.');
    const file = path.resolve(rendererDir, rel);
    // No NUL (the file system cannot hold one; `index.html%00.js` must not reach readFile) and nothing outside the window's files.
    if (rel.includes('\0') || !file.startsWith(rendererDir) || !TYPES[path.extname(file)]) return send(res, 404, 'text/plain', 'Not found.');
    let body: Buffer;
    try {
      body = await fs.promises.readFile(file);
    } catch (err) {
      if (!isErrno(err, 'ENOENT', 'EISDIR', 'ENOTDIR')) throw err;
      return send(res, 404, 'text/plain', 'Not found.');
    }
    send(res, 200, TYPES[path.extname(file)]!, body);
  }

  /** POST /upload/<batchId>/<relative path>: one browser-chosen file, streamed into the batch folder. */
  async function receiveUpload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (!origins().has(req.headers.origin ?? '') || req.headers['x-shoebox'] !== '1') return send(res, 403, 'text/plain', 'Uploads must come from the Shoebox window.');
    const m = /^\/upload\/([0-9a-f]{32})\/(.+)$/.exec(url.pathname);
    const rel = m ? decodePath(m[2]!) : '';
    const parts = (rel ?? '').split('/');
    if (!m || rel === null || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || p.includes('\0')) || path.isAbsolute(rel)) {
      return send(res, 400, 'application/json', JSON.stringify({ error: { code: 'INVALID_ARGUMENT', userMessage: `Refused upload path "${rel}".` } }));
    }
    const dest = path.join(opts.uploadRoot, m[1]!, ...parts);
    await fs.promises.mkdir(path.dirname(dest), { recursive: true });
    await pipeline(req, fs.createWriteStream(dest, { flags: 'wx' }));
    send(res, 200, 'application/json', JSON.stringify({ ok: true }));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const okHost = allowedHosts().has(req.headers.host ?? '');
    const okOrigin = origins().has(req.headers.origin ?? '');
    if (!okHost || !okOrigin || !authed(req) || new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
      socket.write(`HTTP/1.1 ${okHost && okOrigin ? 401 : 403} Refused\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
  });

  const clients = new Set<WebSocket>();
  function connect(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.send(JSON.stringify({ id: null, ok: false, error: { code: 'MALFORMED', userMessage: 'Binary messages are not understood.' } }));
      opts.dispatcher.handleRaw(data as Buffer).then((reply) => ws.send(JSON.stringify(reply)), (err: unknown) => opts.log.error('reply failed', { error: (err as Error).message }));
    });
  }
  port = await listen(server, opts.port ?? 4750, opts.explicitPort);
  const offEvents = opts.dispatcher.onEvent((event, data) => {
    const msg = JSON.stringify({ event, data });
    for (const c of clients) c.send(msg);
  });
  const stopStatus = opts.dispatcher.startStatusEvents();
  const stopCards = opts.dispatcher.startCameraCardEvents();
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      stopStatus();
      stopCards();
      offEvents();
      for (const c of clients) c.terminate();
      wss.close();
      // close() waits for open connections: idle keep-alive ones are closed now, and any request
      // still in flight (a browser mid-upload or mid-preview) gets two seconds, then is cut.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), 2000);
      await closed;
      clearTimeout(cut);
    },
  };
}

const unauthorized = 'Shoebox: open the link that "shoebox serve" printed in its terminal. It carries the token of this run; each run prints a new link.';

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Listens on 127.0.0.1; a taken port is an error when chosen explicitly, else the next free one is used. */
async function listen(server: http.Server, first: number, explicit: boolean): Promise<number> {
  for (let port = first; port < first + (explicit ? 1 : 20); port++) {
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (!err) return (server.address() as import('node:net').AddressInfo).port;
    if (err.code !== 'EADDRINUSE') throw err;
  }
  throw new ShoeboxError(
    'CONFLICT',
    explicit
      ? `Port ${first} on 127.0.0.1 is in use (another program, or another \`shoebox serve\`). Choose another with --port, or leave --port out to use the next free one.`
      : `Ports ${first}–${first + 19} on 127.0.0.1 are all in use. Choose a free one with --port.`,
  );
}

/**
 * Creates the folder where browser upload batches are collected (outside the library: they are
 * then uploaded into it). A fresh, unpredictable name, readable by this user only (mkdtemp makes
 * it 0700): a fixed `/tmp/shoebox-uploads-<pid>` could be created first by another local user.
 */
export function uploadRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-uploads-'));
}

/** decodeURIComponent, or null for a malformed escape (`%E0%A4%A`) instead of a URIError. */
function decodePath(p: string): string | null {
  try {
    return decodeURIComponent(p);
  } catch (err) {
    if (err instanceof URIError) return null;
    throw err;
  }
}
