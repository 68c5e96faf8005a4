// The IPC channel names, one source for both sides: main (ipc-bridge.ts) imports them, and the
// preload's bundle includes this file (it holds nothing but the names, so nothing of main comes
// along into the sandboxed preload).

/** Calls from the window: `invoke(CALL_CHANNEL, method, params)`. */
export const CALL_CHANNEL = 'shoebox:call';
/** Events to the window: `(event name, data)`. */
export const EVENT_CHANNEL = 'shoebox:event';
/** The preload says on it when the page starts or stops listening to an event ([Note: Window ready handshake]). */
export const LISTEN_CHANNEL = 'shoebox:listening';
