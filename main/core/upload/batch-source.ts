import type { Candidate } from './upload-item.js';

/** At most this many files cross to a worker in one batch. */
export const BATCH_MAX_FILES = 64;
/** A batch closes once its files add up to this many bytes. */
export const BATCH_MAX_BYTES = 16 << 20;
/** Files of at least this size go alone: streamed, committed on their own (a 10 GiB video never holds up small files). */
export const ALONE_BYTES = 8 << 20;

/**
 * Files per batch: enough batches that every worker thread has one running and one queued
 * (a dozen files still spread over all threads), at most BATCH_MAX_FILES. Without a total
 * (a stream of unknown length), the largest batches.
 */
export function batchFiles(total: number | undefined, threads: number): number {
  if (total === undefined) return BATCH_MAX_FILES;
  return Math.max(1, Math.min(BATCH_MAX_FILES, Math.ceil(total / (2 * threads))));
}

/**
 * Cuts a stream of candidates into batches (see the limits above), in order. `next()` may be
 * called by several lanes at once: each call waits for the one before it, so no candidate is
 * handed out twice or lost.
 */
export class BatchSource {
  private readonly it: Iterator<Candidate> | AsyncIterator<Candidate>;
  private carry: Candidate | undefined;
  private done = false;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(candidates: Iterable<Candidate> | AsyncIterable<Candidate>, private readonly maxFiles: number) {
    this.it = Symbol.asyncIterator in candidates ? candidates[Symbol.asyncIterator]() : candidates[Symbol.iterator]();
  }

  /** The next batch, or undefined when the stream is exhausted. */
  next(): Promise<Candidate[] | undefined> {
    const batch = this.turn.then(() => this.take());
    this.turn = batch.catch(() => undefined);
    return batch;
  }

  private async take(): Promise<Candidate[] | undefined> {
    const batch: Candidate[] = [];
    let bytes = 0;
    while (batch.length < this.maxFiles && bytes < BATCH_MAX_BYTES) {
      const c = this.carry ?? (await this.pull());
      this.carry = undefined;
      if (!c) break;
      if (batch.length > 0 && (c.item.size >= ALONE_BYTES || bytes + c.item.size > BATCH_MAX_BYTES)) {
        this.carry = c; // starts the next batch
        break;
      }
      batch.push(c);
      bytes += c.item.size;
      if (c.item.size >= ALONE_BYTES) break;
    }
    return batch.length > 0 ? batch : undefined;
  }

  private async pull(): Promise<Candidate | undefined> {
    if (this.done) return undefined;
    const r = await this.it.next();
    if (r.done) this.done = true;
    return r.done ? undefined : r.value;
  }
}
