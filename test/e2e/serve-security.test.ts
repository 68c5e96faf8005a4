// `shoebox serve`'s guards (issue #6 bad input): token, Host, Origin, loopback only, malformed
// and oversized WebSocket messages, uploads, a port in use.
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir } from '../support/fixtures.js';
import { ask, openSocket, request, startServeProcess, type ServeProcess } from '../support/serve-process.js';

describe('shoebox serve: guards', () => {
  let serve: ServeProcess;
  let cookie: string;
  before(async () => {
    serve = await startServeProcess(path.join(tempDir(), 'lib'), { SHOEBOX_CONFIG_DIR: tempDir() });
    const r = await request(serve.port, { path: `/?token=${serve.token}` });
    assert.equal(r.status, 303);
    cookie = String(r.headers['set-cookie']).split(';')[0]!;
  });
  after(async () => {
    await serve.stop();
  });

  it('without the token (or with a wrong one) nothing is served: 401', async () => {
    for (const p of ['/', '/main.js', '/index.html', `/?token=${'0'.repeat(64)}`]) {
      const r = await request(serve.port, { path: p });
      assert.equal(r.status, 401, p);
      assert.doesNotMatch(r.body, /<script|sb-app/);
    }
    const referer = await request(serve.port, { path: '/main.js', headers: { Referer: serve.url } });
    assert.equal(referer.status, 401, 'a token in the Referer is not a token');
  });

  it('the token becomes an HttpOnly SameSite=Strict cookie; pages carry a strict CSP', async () => {
    const first = await request(serve.port, { path: `/?token=${serve.token}` });
    assert.match(String(first.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    assert.equal(first.headers.location, '/');
    const page = await request(serve.port, { headers: { Cookie: cookie } });
    assert.equal(page.status, 200);
    assert.match(page.body, /<sb-app>/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
  });

  it('refuses other Host names (DNS rebinding) even with the cookie', async () => {
    const r = await request(serve.port, { headers: { Cookie: cookie, Host: `evil.example:${serve.port}` } });
    assert.equal(r.status, 421);
  });

  it('is bound to 127.0.0.1 only', async () => {
    const other = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!other) return; // no non-loopback address on this machine
    await assert.rejects(new Promise((resolve, reject) => {
      const s = net.connect(serve.port, other.address, () => resolve(s));
      s.once('error', reject);
    }), /ECONNREFUSED/);
  });

  it('the WebSocket needs the cookie and this origin', async () => {
    await assert.rejects(openSocket(serve.port, { Origin: serve.origin }), /refused 401/);
    await assert.rejects(openSocket(serve.port, { Origin: 'http://evil.example', Cookie: cookie }), /refused 403/);
    const ws = await openSocket(serve.port, { Origin: serve.origin, Cookie: cookie });
    ws.close();
  });

  it('malformed, unknown, ill-typed and oversized messages get typed errors; the connection stays', async () => {
    const ws = await openSocket(serve.port, { Origin: serve.origin, Cookie: cookie });
    try {
      assert.equal((await ask(ws, '{not json')).error?.code, 'MALFORMED');
      assert.equal((await ask(ws, JSON.stringify({ id: 1 }))).error?.code, 'MALFORMED');
      const unknown = await ask(ws, JSON.stringify({ id: 2, method: 'files.delete', params: {} }));
      assert.deepEqual([unknown.id, unknown.error?.code], [2, 'INVALID_ARGUMENT']);
      const typed = await ask(ws, JSON.stringify({ id: 3, method: 'files.list', params: { albumId: 'x', offset: -1, limit: 5 } }));
      assert.equal(typed.error?.code, 'INVALID_ARGUMENT');
      assert.match(typed.error.userMessage, /^The album given was refused: /);
      assert.doesNotMatch(typed.error.userMessage, /files\.list/, 'no method names in messages for people');
      const tilde = await ask(ws, JSON.stringify({ id: 7, method: 'watches.inspect', params: { path: '~/Pictures' } }));
      assert.equal(tilde.error?.userMessage, '"~/Pictures" starts with ~, which is not expanded here: type the full path (like /home/you/Pictures).');
      const extra = await ask(ws, JSON.stringify({ id: 4, method: 'status.get', params: { sneaky: true } }));
      assert.equal(extra.error?.code, 'INVALID_ARGUMENT');
      const big = await ask(ws, JSON.stringify({ id: 5, method: 'upload.paths', params: { paths: ['x'.repeat(2 << 20)] } }));
      assert.equal(big.error?.code, 'TOO_LARGE');
      const fine = await ask(ws, JSON.stringify({ id: 6, method: 'status.get', params: {} }));
      assert.equal(fine.ok, true);
    } finally {
      ws.close();
    }
  });

  it('uploads: only from this origin, never outside the batch folder', async () => {
    const batch = 'a'.repeat(32);
    const noOrigin = await request(serve.port, { method: 'POST', path: `/upload/${batch}/x.jpg`, headers: { Cookie: cookie }, body: 'x' });
    assert.equal(noOrigin.status, 403);
    const traversal = await request(serve.port, { method: 'POST', path: `/upload/${batch}/..%2F..%2Fescape.jpg`, headers: { Cookie: cookie, Origin: serve.origin, 'X-Shoebox': '1' }, body: 'x' });
    assert.equal(traversal.status, 400);
  });

  it('a port in use: a clear message', async () => {
    const r = await runCli(['serve', '--port', String(serve.port)], { library: path.join(tempDir(), 'lib2'), env: { SHOEBOX_CONFIG_DIR: tempDir() } });
    assert.equal(r.code, 7);
    assert.match(r.stderr, new RegExp(`Port ${serve.port} on 127\\.0\\.0\\.1 is in use`));
  });
});
