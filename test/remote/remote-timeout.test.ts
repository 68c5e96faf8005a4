// A remote that accepts connections and never answers (a hung server, a black-holing proxy) must
// not hang free-up, push or check: every S3 request has a connect and an idle timeout
// (SHOEBOX_REMOTE_TIMEOUT_MS, short here). A real listening socket that reads and never replies.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';
import { startS3 } from '../support/s3-server.js';

interface Out { kept: Array<{ path: string; reason: string; detail: string | null }>; applied: { freed: number } | null }

/** Listens on `port` and holds every connection open without a byte of answer. */
async function hungServer(port: number): Promise<{ connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((s) => {
    count++;
    sockets.add(s);
    s.on('data', () => undefined); // read the request, say nothing
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  return {
    connections: () => count,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Listens on `port` and answers every request a byte at a time, each `everyMs` apart: never silent, never done. */
async function tricklingServer(port: number, everyMs: number): Promise<{ close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const answer = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 100000\r\n\r\n' + ' '.repeat(100_000));
  const server = net.createServer((s) => {
    sockets.add(s);
    let at = 0;
    let timer: NodeJS.Timeout | undefined;
    s.once('data', () => {
      timer = setInterval(() => {
        if (at < answer.length && !s.destroyed) s.write(answer.subarray(at, ++at));
      }, everyMs);
    });
    s.on('close', () => {
      clearInterval(timer);
      sockets.delete(s);
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  return {
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * Two photos backed up and pushed to a real S3 server at `bucket`, then that server stopped and
 * its address taken by `misbehave(port)`.
 */
async function pushedThenTakenOver<T>(bucket: string, misbehave: (port: number) => Promise<T>): Promise<{ library: string; root: string; env: NodeJS.ProcessEnv; server: T }> {
  const s3 = await startS3([bucket]);
  const library = path.join(tempDir(), 'lib');
  const root = path.join(tempDir(), 'Photos');
  const env = { ...s3.env, SHOEBOX_REMOTE_PASSPHRASE: 'correct horse battery staple', XDG_DATA_HOME: path.join(tempDir(), 'data'), SHOEBOX_REMOTE_TIMEOUT_MS: '1000' };
  try {
    writeTree(root, { 'a.jpg': await jpeg(`${bucket}-a`, 3000), 'b.jpg': await jpeg(`${bucket}-b`, 3000) });
    assert.equal((await runCli(['upload', root], { library, env })).code, 0);
    assert.equal((await runCli(['remote', 'add', `s3://${bucket}/lib`, '--endpoint', s3.endpoint], { library, env })).code, 0);
    assert.equal((await runCli(['remote', 'push'], { library, env })).code, 0);
  } finally {
    await s3.close();
  }
  return { library, root, env, server: await misbehave(Number(new URL(s3.endpoint).port)) };
}

describe('a remote that never answers', () => {
  let hung: Awaited<ReturnType<typeof hungServer>> | undefined;
  let trickling: Awaited<ReturnType<typeof tricklingServer>> | undefined;
  after(async () => {
    await hung?.close();
    await trickling?.close();
  });

  it('free-up keeps its files as "could not be checked: did not answer in N s"; push, check and import --free-up stop with exit 9 instead of hanging', { timeout: 600_000 }, async () => {
    // the same address now accepts and never answers
    const { library, root, env, server } = await pushedThenTakenOver('hang', hungServer);
    hung = server;

    const r = await runCli(['--json', 'free-up', '--yes', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.deepEqual(out.kept.map((k) => [path.basename(k.path), k.reason]).sort(), [['a.jpg', 'offsite-unreachable'], ['b.jpg', 'offsite-unreachable']]);
    assert.match(out.kept[0]!.detail!, /The remote s3:\/\/hang\/lib\/ at http:\/\/127\.0\.0\.1:\d+ did not answer in 1 s/);
    assert.equal(out.applied, null, 'nothing qualified, nothing freed');
    assert.ok(hung.connections() > 0, 'the hung server was asked');
    const text = await runCli(['free-up', '--dry-run', root], { library, env });
    assert.match(text.stdout, /the offsite copy could not be checked: 2 files/);

    writeTree(root, { 'c.jpg': await jpeg('hang-c', 3000) });
    assert.equal((await runCli(['upload', root], { library, env })).code, 0);
    for (const args of [['remote', 'push'], ['remote', 'check', 's3://hang/lib'], ['import', root, '--free-up', '--yes']]) {
      const stuck = await runCli(args, { library, env });
      assert.equal(stuck.code, 9, `${args.join(' ')}: exit ${stuck.code} ${stuck.stderr}`);
      assert.match(stuck.stderr, /did not answer in 1 s: check the endpoint and the network/, args.join(' '));
    }
  });
  it('a remote that answers a byte at a time (never silent for the idle timeout) is cut off by the request deadline: free-up keeps its files', { timeout: 600_000 }, async () => {
    // a byte every 0.2 s: the 1 s idle timeout never fires
    const { library, root, env, server } = await pushedThenTakenOver('trickle', (port) => tricklingServer(port, 200));
    trickling = server;

    const r = await runCli(['--json', 'free-up', '--yes', root], { library, env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Out;
    assert.deepEqual(out.kept.map((k) => [path.basename(k.path), k.reason]).sort(), [['a.jpg', 'offsite-unreachable'], ['b.jpg', 'offsite-unreachable']]);
    assert.match(out.kept[0]!.detail!, /The remote s3:\/\/trickle\/lib\/ at http:\/\/127\.0\.0\.1:\d+ answered too slowly \(a request not done in \d+(\.\d)? s\)/);
    assert.equal(out.applied, null);
    const push = await runCli(['remote', 'push'], { library, env });
    assert.equal(push.code, 9, push.stderr);
    assert.match(push.stderr, /answered too slowly/);
  });
});
