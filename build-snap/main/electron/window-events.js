/** Events that are requests to the window, not state: kept until the window listens for them. */
export const HELD_EVENTS = new Set(['addWatchRequest']);
/** At most this many held events are kept (the oldest go first). */
export const MAX_HELD_EVENTS = 20;
/**
 * [Note: Window ready handshake]
 * The main process must not send the window a request before the window can act on it (a
 * folder passed on the command line used to be sent after a guessed `setTimeout(1500)` and was
 * lost on a slow start). Like electron/fiddle's ipc.ts, the main side queues: the preload tells
 * main when the page starts and stops listening to an event (`shoebox:listening`), and requests
 * in HELD_EVENTS wait here until then, in order. State events (status, progress) are never held:
 * a window reads the current status when it starts. A reload or a crashed renderer resets the
 * listeners (main/electron/main.ts), so requests wait for the new page.
 */
export class WindowEventGate {
    listening = new Set();
    held = [];
    deliver = () => false;
    /** Sets how events reach the window: true if some window took it. */
    connect(deliver) {
        this.deliver = deliver;
    }
    /** Sends an event now, or holds a request until the window listens for it. */
    send(event, data) {
        if (!HELD_EVENTS.has(event)) {
            this.deliver(event, data);
            return;
        }
        if (this.listening.has(event) && this.deliver(event, data))
            return;
        this.held.push({ event, data });
        if (this.held.length > MAX_HELD_EVENTS)
            this.held.shift();
    }
    /** The window started (or stopped) listening to an event: held requests for it go out, in order. */
    setListening(event, on) {
        if (!on) {
            this.listening.delete(event);
            return;
        }
        this.listening.add(event);
        const due = this.held.filter((h) => h.event === event);
        this.held = this.held.filter((h) => h.event !== event);
        for (let i = 0; i < due.length; i++) {
            if (!this.deliver(event, due[i].data)) {
                this.held.push(...due.slice(i)); // no window after all: keep the rest
                return;
            }
        }
    }
    /** The page reloaded or its renderer died: nothing listens until the new page says so. */
    reset() {
        this.listening.clear();
    }
    /** How many requests wait for the window. */
    get heldCount() {
        return this.held.length;
    }
}
//# sourceMappingURL=window-events.js.map