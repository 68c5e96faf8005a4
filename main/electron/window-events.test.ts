// The renderer-ready handshake (issue #19, [Note: Window ready handshake]): requests to the
// window wait until the page listens, through the real preload bundle and the real IPC bridge
// wired with fakes of Electron's ipcMain/ipcRenderer/webContents (no Electron runtime here).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { IpcMain, WebContents } from 'electron';
import { tempDir } from '../../test/support/fixtures.js';
import type { EventName } from '../core/api/contract.js';
import { ApiDispatcher } from '../core/api/dispatcher.js';
import { Engine } from '../core/engine.js';
import { silentLogger } from '../core/logger.js';
import { PrefsStore } from '../core/prefs/prefs-store.js';
import { LISTEN_CHANNEL, registerIpc } from './ipc-bridge.js';
import { MAX_HELD_EVENTS, WindowEventGate } from './window-events.js';
import { rendererIndexUrl } from './window-security.js';

describe('window event gate', () => {
  const setup = (windows = 1) => {
    const got: Array<[EventName, unknown]> = [];
    const gate = new WindowEventGate();
    gate.connect((e, d) => (windows > 0 ? (got.push([e, d]), true) : false));
    return { gate, got, setWindows: (n: number) => (windows = n) };
  };

  it('a request sent before the page listens waits, then arrives once, in order', () => {
    const { gate, got } = setup();
    gate.send('addWatchRequest', { path: '/a' });
    gate.send('addWatchRequest', { path: '/b' });
    assert.deepEqual(got, []);
    gate.setListening('addWatchRequest', true);
    assert.deepEqual(got, [['addWatchRequest', { path: '/a' }], ['addWatchRequest', { path: '/b' }]]);
    gate.setListening('addWatchRequest', true);
    assert.equal(got.length, 2, 'not twice');
    gate.send('addWatchRequest', { path: '/c' });
    assert.deepEqual(got.at(-1), ['addWatchRequest', { path: '/c' }], 'once listening, sent at once');
  });

  it('state events are never held (the page reads the status when it starts)', () => {
    const { gate, got } = setup();
    gate.send('status', { x: 1 });
    assert.equal(got.length, 1);
    assert.equal(gate.heldCount, 0);
  });

  it('after a reload nothing listens until the new page says so; with no window, requests stay held', () => {
    const { gate, got, setWindows } = setup();
    gate.setListening('addWatchRequest', true);
    gate.reset();
    gate.send('addWatchRequest', { path: '/a' });
    assert.equal(got.length, 0);
    setWindows(0);
    gate.setListening('addWatchRequest', true);
    assert.equal(gate.heldCount, 1, 'still held: no window took it');
    setWindows(1);
    gate.send('addWatchRequest', { path: '/b' });
    assert.deepEqual(got.map(([, d]) => d), [{ path: '/b' }]);
    gate.setListening('addWatchRequest', true);
    assert.deepEqual(got.map(([, d]) => d), [{ path: '/b' }, { path: '/a' }]);
  });

  it('keeps at most MAX_HELD_EVENTS requests (the newest)', () => {
    const { gate, got } = setup();
    for (let i = 0; i < MAX_HELD_EVENTS + 5; i++) gate.send('addWatchRequest', { path: `/${i}` });
    gate.setListening('addWatchRequest', true);
    assert.equal(got.length, MAX_HELD_EVENTS);
    assert.deepEqual(got[0]![1], { path: '/5' });
  });
});

/** A fake Electron IPC pair: ipcMain (main side) and ipcRenderer (page side), one webContents. */
function fakeIpc(pageUrl: string) {
  const mainListeners = new Map<string, Array<(e: unknown, ...a: unknown[]) => void>>();
  const pageListeners = new Map<string, Array<(e: unknown, ...a: unknown[]) => void>>();
  const handlers = new Map<string, (e: unknown, ...a: unknown[]) => unknown>();
  const event = { senderFrame: { url: pageUrl } };
  const ipcMain = {
    handle: (c: string, fn: (e: unknown, ...a: unknown[]) => unknown) => void handlers.set(c, fn),
    removeHandler: (c: string) => void handlers.delete(c),
    on: (c: string, fn: (e: unknown, ...a: unknown[]) => void) => void mainListeners.set(c, [...(mainListeners.get(c) ?? []), fn]),
    removeListener: (c: string, fn: unknown) => void mainListeners.set(c, (mainListeners.get(c) ?? []).filter((f) => f !== fn)),
  };
  const ipcRenderer = {
    invoke: (c: string, ...a: unknown[]) => Promise.resolve(handlers.get(c)!(event, ...a)),
    send: (c: string, ...a: unknown[]) => { for (const fn of mainListeners.get(c) ?? []) fn(event, ...a); },
    sendFrom: (url: string, c: string, ...a: unknown[]) => { for (const fn of mainListeners.get(c) ?? []) fn({ senderFrame: { url } }, ...a); },
    on: (c: string, fn: (e: unknown, ...a: unknown[]) => void) => void pageListeners.set(c, [...(pageListeners.get(c) ?? []), fn]),
    off: (c: string, fn: unknown) => void pageListeners.set(c, (pageListeners.get(c) ?? []).filter((f) => f !== fn)),
  };
  const webContents = { isDestroyed: () => false, send: (c: string, ...a: unknown[]) => { for (const fn of pageListeners.get(c) ?? []) fn({}, ...a); } };
  return { ipcMain, ipcRenderer, webContents };
}

/** Loads the real preload bundle (build/preload/index.cjs) against the fake ipcRenderer; returns `window.shoebox`. */
function loadPreload(ipcRenderer: unknown): { call(m: string, p: unknown): Promise<unknown>; on(e: string, fn: (d: unknown) => void): () => void } {
  const file = fileURLToPath(new URL('../../preload/index.cjs', import.meta.url));
  const exposed: Record<string, unknown> = {};
  const electron = { contextBridge: { exposeInMainWorld: (k: string, v: unknown) => (exposed[k] = v) }, ipcRenderer, webUtils: { getPathForFile: () => '' } };
  const module = { exports: {} };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), { module, exports: module.exports, require: (id: string) => (id === 'electron' ? electron : undefined) }, { filename: file });
  return exposed.shoebox as ReturnType<typeof loadPreload>;
}

describe('handshake through the preload and the IPC bridge', () => {
  let engine: Engine;
  let dispatcher: ApiDispatcher;
  const index = rendererIndexUrl('/opt/shoebox/build/renderer');
  before(() => {
    engine = Engine.open({ libraryDir: path.join(tempDir(), 'lib') });
    dispatcher = new ApiDispatcher(engine, { shell: 'electron', nativeDialogs: true, uploadUrl: null, prefs: new PrefsStore(tempDir()), applyLaunchAtStartup: () => undefined }, silentLogger);
  });
  after(async () => engine.close());

  it('a folder asked for at launch reaches the page when it subscribes, however late, and only once', async () => {
    const { ipcMain, ipcRenderer, webContents } = fakeIpc(index);
    const gate = new WindowEventGate();
    const stop = registerIpc(ipcMain as unknown as IpcMain, dispatcher, index, () => [webContents as unknown as WebContents], gate);
    try {
      dispatcher.emit('addWatchRequest', { path: '/home/me/Pictures' }); // main.ts does this at once now (was setTimeout 1500)
      const shoebox = loadPreload(ipcRenderer);
      await new Promise((r) => setTimeout(r, 20)); // the page is slow to mount
      const seen: unknown[] = [];
      const off = shoebox.on('addWatchRequest', (d) => seen.push(d));
      assert.deepEqual(seen, [{ path: '/home/me/Pictures' }]);
      dispatcher.emit('addWatchRequest', { path: '/media/card' });
      assert.deepEqual(seen, [{ path: '/home/me/Pictures' }, { path: '/media/card' }]);
      off();
      dispatcher.emit('addWatchRequest', { path: '/later' });
      assert.equal(seen.length, 2);
      assert.equal(gate.heldCount, 1, 'held again once the page stopped listening');
      const r = (await shoebox.call('albums.list', {})) as { ok: boolean };
      assert.equal(r.ok, true, 'calls still work through the same bridge');
    } finally {
      stop();
    }
  });

  it('ignores listening messages from another frame, or naming no event', () => {
    const { ipcMain, ipcRenderer, webContents } = fakeIpc(index);
    const gate = new WindowEventGate();
    const stop = registerIpc(ipcMain as unknown as IpcMain, dispatcher, index, () => [webContents as unknown as WebContents], gate);
    try {
      dispatcher.emit('addWatchRequest', { path: '/x' });
      ipcRenderer.sendFrom('https://evil.example/', LISTEN_CHANNEL, 'addWatchRequest', true);
      ipcRenderer.send(LISTEN_CHANNEL, 'no-such-event', true);
      ipcRenderer.send(LISTEN_CHANNEL, { toString: 1 }, 'yes');
      ipcRenderer.send(LISTEN_CHANNEL, 'addWatchRequest', 'yes');
      assert.equal(gate.heldCount, 1, 'nothing was released');
      ipcRenderer.send(LISTEN_CHANNEL, 'addWatchRequest', true);
      assert.equal(gate.heldCount, 0);
    } finally {
      stop();
    }
  });
});
