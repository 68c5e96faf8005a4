/**
 * Which files are selected, by file id, with the anchor for range selection (shift-click,
 * shift+arrows) — plain data, no DOM, so its rules are tested on their own. Indices are
 * positions in the view's order; `idAt` maps a position to its file id (undefined while that
 * page is not loaded: such positions are skipped).
 */
export class SelectionModel {
  private ids = new Set<number>();
  private anchor: number | null = null;

  /** The selected file ids. */
  get selected(): ReadonlySet<number> {
    return this.ids;
  }

  /** How many are selected. */
  get size(): number {
    return this.ids.size;
  }

  /** True if the file is selected. */
  has(fileId: number): boolean {
    return this.ids.has(fileId);
  }

  /** Ctrl/Cmd-click or Space: adds or removes one file, and makes it the anchor of the next range. */
  toggle(index: number, fileId: number): void {
    if (this.ids.has(fileId)) this.ids.delete(fileId);
    else this.ids.add(fileId);
    this.ids = new Set(this.ids);
    this.anchor = index;
  }

  /** Shift-click or shift+arrow: selects everything from the anchor to `index` (the anchor stays). */
  extendTo(index: number, idAt: (i: number) => number | undefined): void {
    const from = this.anchor ?? index;
    const [lo, hi] = from <= index ? [from, index] : [index, from];
    const next = new Set(this.ids);
    for (let i = lo; i <= hi; i++) {
      const id = idAt(i);
      if (id !== undefined) next.add(id);
    }
    this.ids = next;
    this.anchor = from;
  }

  /** Selects exactly these ids (Select all). */
  set(fileIds: Iterable<number>): void {
    this.ids = new Set(fileIds);
  }

  /** Forgets files that are gone (trashed, removed from the album). */
  drop(fileIds: Iterable<number>): void {
    const next = new Set(this.ids);
    for (const id of fileIds) next.delete(id);
    this.ids = next;
  }

  /** Selects nothing. */
  clear(): void {
    this.ids = new Set();
    this.anchor = null;
  }
}
