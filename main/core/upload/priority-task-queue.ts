import { Piscina, type TaskQueue } from 'piscina';

/**
 * How soon a pool task should run: `view` — what a person is looking at right now (the
 * viewer's image, Similar images' compare); `thumb` — thumbnails of tiles on screen; `normal` —
 * everything else (backing up, export, capture dates, snapshots).
 */
export type TaskPriority = 'view' | 'thumb' | 'normal';

const LEVEL: Record<TaskPriority, number> = { view: 0, thumb: 1, normal: 2 };

type QueuedTask = Parameters<TaskQueue['push']>[0];

/** The priority a task was submitted with (see `withPriority`); `normal` when none. */
function levelOf(task: QueuedTask): number {
  const opts = (task as unknown as Record<symbol, { priority?: TaskPriority } | null>)[Piscina.queueOptionsSymbol];
  return LEVEL[opts?.priority ?? 'normal'];
}

/** A task payload carrying its priority for the queue (a symbol key: not sent to the thread). */
export function withPriority<T extends object>(task: T, priority: TaskPriority): T {
  return Object.assign({ ...task }, { [Piscina.queueOptionsSymbol]: { priority } });
}

/**
 * [Note: Pool priorities] The pool's queue, by priority then first come: a photo opened in the
 * viewer waited behind every thumbnail and back-fill task queued before it (a 12 MP HEIC's
 * first view took 24–34 s on a busy machine, most of it in the queue). A task already running
 * is never interrupted; only the order of waiting ones changes.
 */
export class PriorityTaskQueue implements TaskQueue {
  private readonly levels: QueuedTask[][] = [[], [], []];

  /** How many tasks wait. */
  get size(): number {
    return this.levels.reduce((n, l) => n + l.length, 0);
  }

  /**
   * Adds a task behind the others of its priority — except `view` tasks, which go first: the
   * newest is the photo on screen, the older ones were flipped past.
   */
  push(task: QueuedTask): void {
    const level = levelOf(task);
    if (level === LEVEL.view) this.levels[level]!.unshift(task);
    else this.levels[level]!.push(task);
  }

  /** The next task to run: the first of the most urgent priority. */
  shift(): QueuedTask | null {
    for (const l of this.levels) if (l.length > 0) return l.shift()!;
    return null;
  }

  /** Drops a waiting task (aborted before it started). */
  remove(task: QueuedTask): void {
    const l = this.levels[levelOf(task)]!;
    const i = l.indexOf(task);
    if (i >= 0) l.splice(i, 1);
  }
}
