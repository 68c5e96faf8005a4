// The preload: the only bridge between the sandboxed window and the main process. It exposes
// exactly the API contract (call a method, listen to an event) and the path of a dropped file
// (webUtils), nothing else. Arguments are validated in main, not here (a compromised page
// could skip any check made on its side). Bundled to CommonJS: sandboxed preloads can't load ES modules.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EventName, MethodName } from '../main/core/api/contract.js';
import { CALL_CHANNEL, EVENT_CHANNEL, LISTEN_CHANNEL } from '../main/electron/ipc-channels.js';

// How many listeners the page has per event: main hears when an event gets its first listener
// and loses its last, and holds requests until then ([Note: Window ready handshake]).
const listeners = new Map<string, number>();

const api = {
  call: (method: MethodName, params: unknown): Promise<unknown> => ipcRenderer.invoke(CALL_CHANNEL, method, params),
  on: (event: EventName, fn: (data: unknown) => void): (() => void) => {
    const listener = (_e: unknown, name: string, data: unknown) => {
      if (name === event) fn(data);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener); // before telling main, so a held request finds it
    const count = (listeners.get(event) ?? 0) + 1;
    listeners.set(event, count);
    if (count === 1) ipcRenderer.send(LISTEN_CHANNEL, event, true);
    let off = false;
    return () => {
      if (off) return;
      off = true;
      ipcRenderer.off(EVENT_CHANNEL, listener);
      const left = (listeners.get(event) ?? 1) - 1;
      listeners.set(event, left);
      if (left === 0) ipcRenderer.send(LISTEN_CHANNEL, event, false);
    };
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('shoebox', api);
