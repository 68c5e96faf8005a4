import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { events, type EventName } from '../core/api/contract.js';
import type { ApiDispatcher } from '../core/api/dispatcher.js';
import type { WindowEventGate } from './window-events.js';
import { isOwnPage } from './window-security.js';

import { CALL_CHANNEL, EVENT_CHANNEL, LISTEN_CHANNEL } from './ipc-channels.js';

export { CALL_CHANNEL, EVENT_CHANNEL, LISTEN_CHANNEL } from './ipc-channels.js';

/**
 * One handler for every call from the window (cf. electron/fiddle's ipc-events): it drops calls
 * from any frame that isn't the app's own page, then hands the untrusted method name and
 * params to the dispatcher, which validates them against the contract. Errors come back as
 * `{ ok: false, error: { code, userMessage } }`, never as exceptions across IPC. With a `gate`,
 * events go through it, so requests wait until the page listens for them.
 */
export function registerIpc(ipcMain: IpcMain, dispatcher: ApiDispatcher, indexUrl: string, windows: () => WebContents[], gate?: WindowEventGate): () => void {
  let next = 1;
  ipcMain.handle(CALL_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, params: unknown) => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isOwnPage(frameUrl, indexUrl)) return { ok: false, error: { code: 'FORBIDDEN', userMessage: 'Calls are only accepted from the Shoebox window.' } };
    const reply = await dispatcher.reply(next++, typeof method === 'string' ? method : '(not a method name)', params);
    return reply.ok ? { ok: true, result: reply.result } : { ok: false, error: reply.error };
  });
  const deliver = (event: EventName, data: unknown): boolean => {
    let sent = false;
    for (const wc of windows()) {
      if (wc.isDestroyed()) continue;
      wc.send(EVENT_CHANNEL, event, data);
      sent = true;
    }
    return sent;
  };
  const onListening = (event: IpcMainEvent, name: unknown, on: unknown) => {
    if (!isOwnPage(event.senderFrame?.url ?? '', indexUrl)) return; // only the app's page
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(events, name) || typeof on !== 'boolean') return; // malformed: ignored, like any unknown message
    gate?.setListening(name as EventName, on);
  };
  gate?.connect(deliver);
  if (gate) ipcMain.on(LISTEN_CHANNEL, onListening);
  const off = dispatcher.onEvent((event, data) => (gate ? gate.send(event, data) : deliver(event, data)));
  return () => {
    ipcMain.removeHandler(CALL_CHANNEL);
    if (gate) ipcMain.removeListener(LISTEN_CHANNEL, onListening);
    off();
  };
}
