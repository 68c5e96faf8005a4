import type { DateSource } from '../../main/core/api/contract.js';

// [Note: Capture dates are wall-clock] The catalog keeps capture dates as the wall-clock time
// where the photo was taken, stored as if it were UTC (EXIF has no zone), so the window formats
// them in UTC to show exactly what the camera said (main/core/dates/capture-date.ts).
const UTC = { timeZone: 'UTC' } as const;
// One formatter each: toLocaleDateString builds a new one per call, and labelling the 1,400 days
// of a 100k-file timeline that way took 350 ms of the window's first paint.
const DAY = new Intl.DateTimeFormat('en-GB', { ...UTC, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const MONTH = new Intl.DateTimeFormat('en-GB', { ...UTC, month: 'long', year: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { ...UTC, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' });

/** "Saturday 3 August 2024". */
export function dayLabel(at: number): string {
  return DAY.format(at);
}

/** "August 2024". */
export function monthLabel(at: number): string {
  return MONTH.format(at);
}

/** "3 August 2024, 14:05". */
export function dateTimeLabel(at: number): string {
  return DATE_TIME.format(at);
}

/** Where a date came from, in words. */
export const DATE_SOURCE_LABEL: Record<DateSource, string> = {
  exif: 'from the photo’s metadata (EXIF)',
  quicktime: 'from the video’s metadata',
  filename: 'from the file name',
  mtime: 'from the file’s modification time',
  added: 'when it was backed up (no other date known)',
  takeout: 'from its Google Takeout sidecar (takes precedence over the photo’s own)',
  xmp: 'from its XMP sidecar (takes precedence over the photo’s own)',
};
