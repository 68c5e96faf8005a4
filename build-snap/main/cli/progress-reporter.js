import cliProgress from 'cli-progress';
import { formatBytes } from '../core/format.js';
/** Chooses the reporter for this stream. `quiet` (e.g. --json) reports nothing. */
export function createProgressReporter(stream, quiet, now = Date.now) {
    if (quiet)
        return { update: () => undefined, stop: () => undefined };
    const started = now();
    const rate = (p) => p.bytesDone / Math.max(0.001, (now() - started) / 1000);
    if (stream.isTTY) {
        // cli-progress draws the bar, ETA and redraw throttling; we only feed it numbers.
        const bar = new cliProgress.SingleBar({
            stream,
            format: '{bar} {percentage}% | {value}/{total} files | {done} of {all} | {rate}/s | ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 50,
            fps: 10,
        }, cliProgress.Presets.shades_classic);
        let started_ = false;
        return {
            update(p) {
                const payload = { done: formatBytes(p.bytesDone), all: formatBytes(p.bytesTotal), rate: formatBytes(rate(p)) };
                if (!started_) {
                    bar.start(p.filesTotal, p.filesDone, payload);
                    started_ = true;
                }
                else {
                    bar.setTotal(p.filesTotal);
                    bar.update(p.filesDone, payload);
                }
            },
            stop() {
                if (started_)
                    bar.stop();
                started_ = false;
            },
        };
    }
    let lastLine = 0;
    let last;
    const line = (p) => stream.write(`progress: ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}, ${formatBytes(rate(p))}/s\n`);
    return {
        update(p) {
            last = p;
            if (now() - lastLine >= 2000) {
                lastLine = now();
                line(p);
            }
        },
        stop() {
            if (last && last.filesTotal > 0)
                line(last);
            last = undefined;
        },
    };
}
//# sourceMappingURL=progress-reporter.js.map