/** Human-readable byte count (binary units). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Left-aligned text table with a header row. */
export function formatTable(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

/** Makes control characters (newlines in file names) visible in one-line output. */
export function printable(s: string): string {
  // NUL + two hex digits is a byte of a name that is not valid UTF-8 (main/core/media/raw-names).
  return s.replace(/\0([0-9a-f]{2})|[\u0000-\u001f\u007f]/g, (ch, hex?: string) => `\\x${hex ?? ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
