import { Transform } from 'node:stream';
/** Caps a stream's rate at `bytesPerSecond` (the bandwidth limit of a push). */
export class Throttle extends Transform {
    bytesPerSecond;
    started = Date.now();
    sent = 0;
    constructor(bytesPerSecond) {
        super();
        this.bytesPerSecond = bytesPerSecond;
    }
    _transform(chunk, _enc, cb) {
        this.sent += chunk.length;
        const due = this.started + (this.sent / this.bytesPerSecond) * 1000;
        const wait = due - Date.now();
        if (wait > 0)
            setTimeout(() => cb(null, chunk), wait);
        else
            cb(null, chunk);
    }
}
//# sourceMappingURL=throttle.js.map