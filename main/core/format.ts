/** Human-readable byte count (binary units). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(n)} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Left-aligned text table with a header row. */
export function formatTable(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')).join('\n');
}

/**
 * Shows the bytes of a name that is not valid UTF-8 as \xNN (the catalog keeps each such byte as
 * NUL + two hex digits: main/core/media/raw-names.ts).
 */
export function showRawBytes(s: string): string {
  return s.includes('\0') ? s.replace(/\0([0-9a-f]{2})/g, '\\x$1') : s;
}

/**
 * JSON for the command's `--json` output: a name byte that is not UTF-8 (kept inside as NUL and
 * two hex digits, raw-names.ts) shows as `\xff`, as in the text output, not as a NUL character
 * (`"z\u0000ffz.jpg"`, helper-49).
 */
export function jsonText(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && x.includes('\0') ? showRawBytes(x) : x));
}

/** Makes control characters (newlines in file names) and raw name bytes visible in one-line output. */
export function printable(s: string): string {
  return showRawBytes(s).replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * A count with its noun, singular for exactly one: `plural(1, 'group')` is "1 group",
 * `plural(3, 'extra copy', 'extra copies')` is "3 extra copies". Every count shown to a person
 * goes through here rather than a hand-written `n === 1 ? '' : 's'`.
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** plural() with the count grouped by thousands ("1,234 files"): for the window and the tray. */
export function pluralGrouped(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** What "Reset ignored files" did, for the CLI and the window. */
export function resetIgnoredSummary(r: { reset: number; restored: number }): string {
  if (r.reset === 0) return 'There were no ignored files to reset.';
  const back = r.restored > 0 ? ` ${pluralGrouped(r.restored, 'photo')} came back from Trash.` : '';
  return `Reset ${pluralGrouped(r.reset, 'ignored file')}.${back} What is still in the watched folders is backed up again by the next sync (at once while Shoebox runs).`;
}

/** What each kind of item part is called in the CLI and the window ([Note: Item parts]). */
export const PART_ROLE_LABEL = { raw: 'RAW', xmp: 'XMP sidecar', live: 'live video' } as const;
