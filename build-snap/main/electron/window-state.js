/** The window's default and minimum size. */
export const WINDOW_SIZE = { width: 1200, height: 800, minWidth: 800, minHeight: 500 };
const finite = (v) => typeof v === 'number' && Number.isFinite(v);
/** The saved state if it is one (the file is ours but may be damaged or hand-edited), else null. */
export function parseWindowState(v) {
    if (typeof v !== 'object' || v === null)
        return null;
    const { bounds: b, maximized } = v;
    if (!b || !finite(b.x) || !finite(b.y) || !finite(b.width) || !finite(b.height) || b.width <= 0 || b.height <= 0)
        return null;
    return { bounds: { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height) }, maximized: maximized === true };
}
function overlap(a, b) {
    const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    return w > 0 && h > 0 ? w * h : 0;
}
const clamp = (v, lo, hi) => Math.max(lo, Math.min(v, hi));
/**
 * Where to open the window (the window remembers its size and position): the saved bounds,
 * moved and shrunk to lie wholly inside the work area of the display they overlap most, so a
 * window never opens off-screen or under a taskbar. Saved on a display that is gone (an unplugged
 * monitor), or never saved: the default size, centred (no x/y). Pure: `workAreas` are the
 * displays' work areas, the primary first.
 */
export function restoreWindowBounds(saved, workAreas) {
    const primary = workAreas[0];
    const fallback = {
        width: primary ? Math.min(WINDOW_SIZE.width, primary.width) : WINDOW_SIZE.width,
        height: primary ? Math.min(WINDOW_SIZE.height, primary.height) : WINDOW_SIZE.height,
        maximized: saved?.maximized ?? false,
    };
    if (!saved)
        return fallback;
    let best;
    let bestOverlap = 0;
    for (const area of workAreas) {
        const o = overlap(saved.bounds, area);
        if (o > bestOverlap)
            [best, bestOverlap] = [area, o];
    }
    if (!best)
        return fallback;
    const width = clamp(saved.bounds.width, Math.min(WINDOW_SIZE.minWidth, best.width), best.width);
    const height = clamp(saved.bounds.height, Math.min(WINDOW_SIZE.minHeight, best.height), best.height);
    return {
        x: clamp(saved.bounds.x, best.x, best.x + best.width - width),
        y: clamp(saved.bounds.y, best.y, best.y + best.height - height),
        width,
        height,
        maximized: saved.maximized,
    };
}
//# sourceMappingURL=window-state.js.map