import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { messageOf } from '../api/api-client.js';

/** One page of a long list, as the engine returns it. */
export interface Page<T> {
  total: number;
  items: T[];
}

/**
 * A long list (an album, the timeline) read page by page as its positions are asked for: only
 * what is on screen is loaded, pages load one at a time in the order they were asked for (so
 * thumbnails arrive in viewport order), and a reset (the library changed) keeps the loaded items
 * on screen until their fresh pages replace them — tiles never blank or reorder mid-scroll.
 */
export class PagedList<T> implements ReactiveController {
  private pages = new Map<number, T[]>();
  private stale = new Map<number, T[]>();
  private queue: number[] = [];
  private loading = false;
  private generation = 0;
  /** Bumped whenever items arrive (bind it so the view re-renders its tiles). */
  version = 0;
  /** How many items the list has (from the last page read). */
  total = 0;
  /** The last read's failure, for people. */
  error: string | null = null;

  constructor(private readonly host: ReactiveControllerHost, private readonly fetch: (offset: number, limit: number) => Promise<Page<T>>, readonly pageSize = 200) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** The item at a position; undefined until its page is loaded (the page is requested). */
  at(i: number): T | undefined {
    const p = Math.floor(i / this.pageSize);
    const page = this.pages.get(p);
    if (page) return page[i % this.pageSize];
    this.want(p);
    return this.stale.get(p)?.[i % this.pageSize];
  }

  /** The position of the first loaded item (fresh pages only, not ones kept from before a reset) that matches, or -1. */
  findLoaded(match: (item: T) => boolean): number {
    for (const [p, items] of this.pages) {
      const i = items.findIndex(match);
      if (i >= 0) return p * this.pageSize + i;
    }
    return -1;
  }

  /** Whether the item at a position is from a page read since the last reset (not one kept on screen from before it). */
  isFresh(i: number): boolean {
    return this.pages.has(Math.floor(i / this.pageSize));
  }

  /**
   * Starts loading a page before the list's length is known (the first screen of the timeline,
   * read while its days are: one round trip instead of two before the first tiles).
   */
  prefetch(p: number): void {
    this.want(p);
  }

  /**
   * Starts over (new list, or the list changed): loaded items stay visible until replaced.
   * `keepLoaded`: the list did not change, only its length became known (after `prefetch`).
   */
  reset(total: number, keepStale = true, keepLoaded = false): void {
    if (keepLoaded) {
      this.total = total;
      this.version++;
      return;
    }
    this.generation++;
    this.stale = keepStale ? new Map<number, T[]>([...this.stale, ...this.pages]) : new Map<number, T[]>();
    this.pages = new Map();
    this.queue = [];
    this.total = total;
    this.version++;
  }

  private want(p: number): void {
    if (this.queue.includes(p)) return;
    this.queue.push(p);
    if (this.queue.length > 6) this.queue.shift(); // scrolled past: what is on screen now comes first
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      for (let p = this.queue.shift(); p !== undefined; p = this.queue.shift()) {
        if (this.pages.has(p)) continue;
        const gen = this.generation;
        try {
          const r = await this.fetch(p * this.pageSize, this.pageSize);
          if (gen !== this.generation) continue;
          this.pages.set(p, r.items);
          this.stale.delete(p);
          this.total = r.total;
          this.error = null;
        } catch (e) {
          this.error = messageOf(e);
          this.queue = []; // the view shows the error; scrolling asks again
        }
        this.version++;
        this.host.requestUpdate();
      }
    } finally {
      this.loading = false;
    }
  }
}
