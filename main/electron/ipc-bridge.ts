import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { ApiDispatcher } from '../core/api/dispatcher.js';
import { isOwnPage } from './window-security.js';

/** The channel names (the preload uses the same strings). */
export const CALL_CHANNEL = 'shoebox:call';
export const EVENT_CHANNEL = 'shoebox:event';

/**
 * One handler for every call from the window (cf. electron/fiddle's ipc-events): it drops calls
 * from any frame that isn't the app's own page, then hands the untrusted method name and
 * params to the dispatcher, which validates them against the contract. Errors come back as
 * `{ ok: false, error: { code, userMessage } }`, never as exceptions across IPC.
 */
export function registerIpc(ipcMain: IpcMain, dispatcher: ApiDispatcher, indexUrl: string, windows: () => WebContents[]): () => void {
  let next = 1;
  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, params: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isOwnPage(frameUrl, indexUrl)) return { ok: false, error: { code: 'FORBIDDEN', userMessage: 'Calls are only accepted from the Shoebox window.' } };
    const reply = await dispatcher.reply(next++, typeof method === 'string' ? method : '(not a method name)', params);
    return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
  });
  const off = dispatcher.onEvent((event, data) => {
    for (const wc of windows()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, event, data);
  });
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    off();
  };
}
