/** A run of items under one heading (a day on the timeline); an album is one run without a heading. */
export interface Section {
  /** The heading ("Saturday 3 August 2024"); null for none. */
  label: string | null;
  /** A larger heading shown before this section when it starts a new group ("August 2024"). */
  group: string | null;
  count: number;
}

/** One row of the virtualized grid. */
export type GridRow =
  | { kind: 'group'; label: string; key: string }
  | { kind: 'section'; label: string; key: string }
  | { kind: 'tiles'; start: number; count: number; key: string };

/** The rows of a grid and where things are in them. */
export interface GridLayout {
  rows: GridRow[];
  /** For each item index, the row that shows it (by binary search in `tileRowStarts`). */
  rowOfIndex(i: number): number;
  /** The row index of each group heading, by label. */
  groupRows: Map<string, number>;
}

/**
 * Lays sections out as rows of at most `cols` tiles, with a heading row before each section
 * and a group heading where a new group starts. Pure: the same input gives the same rows.
 */
export function layoutRows(sections: Section[], cols: number): GridLayout {
  const rows: GridRow[] = [];
  const tileRowIdx: number[] = [];
  const tileRowStart: number[] = [];
  const groupRows = new Map<string, number>();
  let start = 0;
  let lastGroup: string | null = null;
  for (const s of sections) {
    if (s.group !== null && s.group !== lastGroup) {
      groupRows.set(s.group, rows.length);
      rows.push({ kind: 'group', label: s.group, key: `g:${s.group}` });
      lastGroup = s.group;
    }
    if (s.label !== null) rows.push({ kind: 'section', label: s.label, key: `s:${start}` });
    for (let k = 0; k < s.count; k += cols) {
      tileRowIdx.push(rows.length);
      tileRowStart.push(start + k);
      rows.push({ kind: 'tiles', start: start + k, count: Math.min(cols, s.count - k), key: `t:${start + k}` });
    }
    start += s.count;
  }
  return {
    rows,
    groupRows,
    rowOfIndex(i: number): number {
      let lo = 0;
      let hi = tileRowStart.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (tileRowStart[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      return tileRowIdx[lo] ?? 0;
    },
  };
}

/** Where keyboard navigation goes from `i` in a grid laid out by `layoutRows` (-1: stay). */
export function moveFocus(layout: GridLayout, total: number, i: number, key: string, pageRows: number): number {
  if (total === 0) return -1;
  const row = layout.rows[layout.rowOfIndex(i)];
  const col = row?.kind === 'tiles' ? i - row.start : 0;
  const vertical = (steps: number): number => {
    const dir = Math.sign(steps);
    let r = layout.rowOfIndex(i);
    let target: GridRow | undefined;
    for (let n = 0; n < Math.abs(steps); n++) {
      let next = r + dir;
      while (next >= 0 && next < layout.rows.length && layout.rows[next]!.kind !== 'tiles') next += dir;
      if (next < 0 || next >= layout.rows.length) break;
      r = next;
      target = layout.rows[r];
    }
    if (target?.kind !== 'tiles') return dir > 0 ? total - 1 : 0;
    return target.start + Math.min(col, target.count - 1);
  };
  switch (key) {
    case 'ArrowRight': return Math.min(total - 1, i + 1);
    case 'ArrowLeft': return Math.max(0, i - 1);
    case 'ArrowDown': return vertical(1);
    case 'ArrowUp': return vertical(-1);
    case 'PageDown': return vertical(Math.max(1, pageRows));
    case 'PageUp': return vertical(-Math.max(1, pageRows));
    case 'Home': return 0;
    case 'End': return total - 1;
    default: return -1;
  }
}
