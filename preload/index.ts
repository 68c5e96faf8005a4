// The preload: the only bridge between the sandboxed window and the main process. It exposes
// exactly the API contract (call a method, listen to an event) and the path of a dropped file
// (webUtils), nothing else. Arguments are validated in main, not here (a compromised page
// could skip any check made on its side). Bundled to CommonJS: sandboxed preloads can't load ES modules.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { EventName, MethodName } from '../main/core/api/contract.js';

/** IPC channel names (one for calls, one for events), shared with main/electron/ipc-bridge.ts. */
export const CALL_CHANNEL = 'shoebox:call';
export const EVENT_CHANNEL = 'shoebox:event';

const api = {
  call: (method: MethodName, params: unknown): Promise<unknown> => ipcRenderer.invoke(CALL_CHANNEL, method, params),
  on: (event: EventName, fn: (data: unknown) => void): (() => void) => {
    const listener = (_e: unknown, name: string, data: unknown) => {
      if (name === event) fn(data);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => ipcRenderer.off(EVENT_CHANNEL, listener);
  },
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('shoebox', api);
