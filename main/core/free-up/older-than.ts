// Pure (no Node imports): the window checks its date field with the same rules as the CLI.

/** What `--older-than` (or the window's date) means: a time in ms, or why the text is none. */
export type OlderThan = { ms: number } | { error: string };

const FORMS = 'give a day as YYYY-MM-DD (like 2024-01-31), a time as 2024-01-31T18:00 (local, or with Z or +01:00), or an age like 90d, 12w, 6m or 2y';

/**
 * Reads a date for Free up space's date filter: a calendar day (YYYY-MM-DD, local midnight), a
 * full ISO time (YYYY-MM-DDThh:mm[:ss[.sss]], local unless it ends in Z or an offset), or an age
 * before `now` (90d, 12w, 6m, 2y). Only real calendar dates and times pass: 2024-02-30 or
 * 2026-13-45 are refused, never rolled over into another day, and so is anything else ("5",
 * "12/31", "", "1 2 3"); the message names the text and the forms it may take.
 */
export function parseOlderThan(text: string, now = Date.now()): OlderThan {
  const refuse = (what = 'is not a date'): OlderThan => ({ error: `"${text}" ${what}: ${FORMS}.` });
  const age = /^(\d{1,5})([dwmy])$/.exec(text);
  if (age) {
    const n = Number(age[1]);
    const d = new Date(now);
    if (age[2] === 'd') d.setDate(d.getDate() - n);
    else if (age[2] === 'w') d.setDate(d.getDate() - 7 * n);
    else if (age[2] === 'm') d.setMonth(d.getMonth() - n);
    else d.setFullYear(d.getFullYear() - n);
    return Number.isFinite(d.getTime()) ? { ms: d.getTime() } : refuse('is too long ago');
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!m) return refuse();
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return refuse('is not a calendar date');
  if (m[4] === undefined) return { ms: new Date(year, month - 1, day).getTime() };
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return refuse('is not a time of day');
  if (m[8] !== undefined && (Number(m[8].slice(1, 3)) > 23 || Number(m[8].slice(4, 6)) > 59)) return refuse('is not a time zone offset a clock can have');
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? { ms } : refuse();
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
