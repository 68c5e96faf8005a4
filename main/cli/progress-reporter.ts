import cliProgress from 'cli-progress';
import type { UploadProgress } from '../core/upload/upload-service.js';
import { formatBytes, plural } from '../core/format.js';

/** Shows upload progress: a live bar on a TTY, a plain line every few seconds otherwise. */
export interface ProgressReporter {
  update(p: UploadProgress): void;
  stop(): void;
}

/** Chooses the reporter for this stream. `quiet` (e.g. --json) reports nothing. */
export function createProgressReporter(stream: NodeJS.WriteStream, quiet: boolean, now: () => number = Date.now): ProgressReporter {
  if (quiet) return { update: () => undefined, stop: () => undefined };
  const started = now();
  const rate = (p: UploadProgress) => p.bytesDone / Math.max(0.001, (now() - started) / 1000);
  // " of 1.2 GiB" when the total is known (an export or a restore counts bytes as it goes).
  const ofAll = (p: UploadProgress) => (p.bytesTotal > 0 ? ` of ${formatBytes(p.bytesTotal)}` : '');
  if (stream.isTTY) {
    // cli-progress draws the bar, ETA and redraw throttling; we only feed it numbers.
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {percentage}% | {value}/{total} files | {done}{all} | {rate}/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    let started_ = false;
    return {
      update(p) {
        const payload = { done: formatBytes(p.bytesDone), all: ofAll(p), rate: formatBytes(rate(p)) };
        if (!started_) {
          bar.start(p.filesTotal, p.filesDone, payload);
          started_ = true;
        } else {
          bar.setTotal(p.filesTotal);
          bar.update(p.filesDone, payload);
        }
      },
      stop() {
        if (started_) bar.stop();
        started_ = false;
      },
    };
  }
  let lastLine = 0;
  let last: UploadProgress | undefined;
  const line = (p: UploadProgress) =>
    stream.write(`progress: ${p.filesDone}/${plural(p.filesTotal, 'file')}, ${formatBytes(p.bytesDone)}${ofAll(p)}, ${formatBytes(rate(p))}/s\n`);
  return {
    update(p) {
      last = p;
      if (now() - lastLine >= 2000) {
        lastLine = now();
        line(p);
      }
    },
    stop() {
      if (last && last.filesTotal > 0) line(last);
      last = undefined;
    },
  };
}
