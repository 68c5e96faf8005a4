/**
 * [Note: Trusted Trash dates]
 * Trash keeps a file 30 days from the moment it was trashed, but that moment is whatever the
 * clock said then, and clocks go wrong (a dead RTC battery boots at 1970; a bad NTP answer
 * jumps years ahead). Purge deletes for good, so it counts only from a date it trusts:
 *   - a date is plausible when it is not before PLAUSIBLE_FLOOR (before Shoebox existed),
 *     not before the library was created (when that creation date is itself plausible),
 *     and not after now;
 *   - when the clock reads an implausible *now* (before the floor or the library's creation),
 *     purge does nothing at all;
 *   - a file whose Trash date is implausible is re-stamped to now and kept another 30 days.
 * Explicitly emptying Trash (`trash empty`) deletes everything and does not depend on dates.
 * Limit: a clock that runs ahead *now* looks like time that really passed; nothing local can
 * tell the two apart, so such a clock can shorten the 30 days (never below what it claims).
 */

/** Nothing Shoebox records can be older than this (1 January 2024, before its first release). */
export const PLAUSIBLE_FLOOR = Date.UTC(2024, 0, 1);

/** The range of Trash dates the purge trusts now, or null when the clock itself reads an implausible time. */
export function trustedTrashDates(now: number, libraryCreatedAt: number | undefined): { floor: number; now: number } | null {
  let floor = PLAUSIBLE_FLOOR;
  if (libraryCreatedAt !== undefined && libraryCreatedAt >= PLAUSIBLE_FLOOR && libraryCreatedAt <= now) floor = libraryCreatedAt;
  return now < floor ? null : { floor, now };
}
