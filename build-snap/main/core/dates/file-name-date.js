/**
 * A capture date written in a file name by a camera, phone or app: `IMG_20240803_140501.jpg`,
 * `PXL_20240803_140501123.jpg`, `20240803_140501.mp4`, `2024-08-03 14.05.01.jpg`,
 * `Screenshot_2024-08-03-14-05-01.png`, `IMG-20240803-WA0001.jpg` (WhatsApp: date only, noon).
 * Returns the wall-clock time as ms (read as UTC, like EXIF), or null when the name carries no
 * plausible date (years 1990–2099, real calendar days, times within the day).
 */
export function dateFromFileName(name) {
    const base = name.replace(/\.[^.]*$/, '');
    // Date and time: 8 digits (optionally dashed) + separator + 6 digits (optionally separated).
    const full = /(?:^|[^0-9])((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})[ _T.-]+(\d{2})[-_.:h]?(\d{2})[-_.:m]?(\d{2})/.exec(base);
    if (full) {
        const at = wallClock(full[1], full[2], full[3], full[4], full[5], full[6]);
        if (at !== null)
            return at;
    }
    const dateOnly = /(?:^|[^0-9])((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?:[^0-9]|$)/.exec(base);
    return dateOnly ? wallClock(dateOnly[1], dateOnly[2], dateOnly[3], '12', '00', '00') : null;
}
function wallClock(y, mo, d, h, mi, s) {
    const [Y, M, D, H, Mi, S] = [y, mo, d, h, mi, s].map(Number);
    if (Y < 1990 || Y > 2099 || M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 59)
        return null;
    const at = Date.UTC(Y, M - 1, D, H, Mi, S);
    return new Date(at).getUTCDate() === D ? at : null; // 2024-02-31 is not a day
}
/**
 * [Note: Capture dates are wall-clock]
 * EXIF dates carry no time zone: "2024:08:03 14:05:01" is the clock on the camera. The catalog
 * keeps every capture date as that wall-clock time stored as if it were UTC, and the window
 * shows it in UTC, so a photo taken at 14:05 in Tokyo shows 14:05 wherever it is looked at.
 * Instants (file mtimes, QuickTime's UTC dates) are turned into the wall clock of this machine.
 */
export function wallClockOf(instantMs) {
    return instantMs - new Date(instantMs).getTimezoneOffset() * 60_000;
}
//# sourceMappingURL=file-name-date.js.map