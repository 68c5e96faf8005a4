/** What a tile hears back: its image is in the browser's cache (`ok`), or could not be had. */
export type ThumbOutcome = 'ok' | 'failed';

interface Waiting {
  url: string;
  order: number;
  /** Null until the IntersectionObserver has said. */
  visible: boolean | null;
  then: (outcome: ThumbOutcome) => void;
}

/**
 * [Note: Thumbnails in viewport order] The grid's thumbnails are fetched here, a few at a time,
 * the tiles on screen first (top-left to bottom-right), then the ones just off it. A tile that
 * scrolls away before its turn is forgotten, so after a fast scroll or a jump the browser is not
 * left fetching (and the engine making) hundreds of thumbnails nobody sees before the ones in
 * view. A tile asks with its position in the grid; its image is fetched by the loader (so a
 * fetch outlives its tile) and the tile shows it from the cache when told.
 */
export class ThumbLoader {
  /** How many thumbnails are fetched at once by default (a browser opens 6 connections to a host). */
  static readonly CONCURRENCY = 6;

  private readonly waiting = new Map<Element, Waiting>();
  private running = 0;
  private readonly seen: IntersectionObserver;

  constructor(private readonly concurrency = ThumbLoader.CONCURRENCY, private readonly load: (url: string) => Promise<void> = loadImage) {
    this.seen = new IntersectionObserver((entries) => {
      for (const e of entries) {
        const w = this.waiting.get(e.target);
        if (w) w.visible = e.isIntersecting;
      }
      this.pump();
    });
  }

  /** Asks for a tile's image (replacing what it asked for before); `then` is called once it is loaded or failed. */
  request(tile: Element, url: string, order: number, then: (outcome: ThumbOutcome) => void): void {
    const had = this.waiting.get(tile);
    this.waiting.set(tile, { url, order, visible: had?.visible ?? null, then });
    if (!had) this.seen.observe(tile);
  }

  /** The tile is gone (scrolled away, or shows another file): its image is not fetched unless already on its way. */
  drop(tile: Element): void {
    if (this.waiting.delete(tile)) this.seen.unobserve(tile);
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      let best: [Element, Waiting] | undefined;
      for (const entry of this.waiting) {
        const w = entry[1];
        // A tile not laid out yet may be on screen: choose once the observer has said (next frame).
        if (w.visible === null) return;
        if (!best || rank(w) < rank(best[1])) best = entry;
      }
      if (!best) return;
      const [tile, w] = best;
      this.drop(tile);
      this.running++;
      void this.load(w.url).then(
        () => w.then('ok'),
        () => w.then('failed'),
      ).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}

/** On screen first, then by position. */
function rank(w: Waiting): number {
  return (w.visible ? 0 : 1e12) + w.order;
}

/** Fetches an image into the browser's cache. */
function loadImage(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve();
    img.onerror = () => reject(new Error(`could not load ${url}`));
    img.src = url;
  });
}
