import path from 'node:path';
import { formatBytes } from '../core/format.js';
/** The thresholds and limits (DESIGN §6: tell the user only what needs them, and not too often). */
export const NOTIFY_RULES = {
    /** The same watch is reported at most once per this (a flaky drive doesn't nag). */
    watchCooldownMs: 6 * 3600_000,
    diskFullCooldownMs: 3600_000,
    /** A remote is reported after pushes have failed for this long (pushes run every minute)… */
    remoteFailingMs: 30 * 60_000,
    /** …and then once until a push succeeds again. */
    firstBackupFiles: 500,
    firstBackupBytes: 2 * 1024 ** 3,
    /** A watch added less than this long ago is still on its first backup (even across a restart). */
    firstBackupWindowMs: 24 * 3600_000,
    maxPerWindow: 3,
    windowMs: 10 * 60_000,
};
/** The state before any snapshot. */
export function initialNotifyState() {
    return { startedAt: null, watches: {}, remotes: {}, diskFullSeenAt: 0, shownAt: {}, recent: [] };
}
const cooldown = {
    watch: NOTIFY_RULES.watchCooldownMs,
    'disk-full': NOTIFY_RULES.diskFullCooldownMs,
    remote: 0, // once per failing streak (the streak's state says so)
    'first-backup': NOTIFY_RULES.firstBackupWindowMs,
};
function watchNotices(prev, s, now, next) {
    const out = [];
    for (const w of s.sync?.watches ?? []) {
        const before = prev.watches[w.path];
        const name = path.basename(w.path) || w.path;
        // A backup run starts when files are queued and ends when none are left.
        const starting = w.pending > 0 && (before?.pending ?? 0) === 0;
        const filesAtStart = starting ? w.files : w.pending > 0 ? (before?.filesAtStart ?? w.files) : null;
        next.watches[w.path] = { state: w.state, pending: w.pending, filesAtStart };
        if ((w.state === 'unavailable' || w.state === 'failed') && before?.state !== w.state) {
            out.push({
                key: `watch:${w.path}`,
                kind: 'watch',
                title: w.state === 'unavailable' ? `${name} is unavailable` : `Shoebox stopped watching ${name}`,
                body: w.state === 'unavailable'
                    ? `${w.path} can't be reached (an unplugged drive or an unmounted share?). Its files stay in the library; backing up resumes when it is back.`
                    : `${w.message ?? 'Watching the folder failed.'} Open Shoebox to see what to do.`,
            });
        }
        const finished = before !== undefined && before.pending > 0 && w.pending === 0 && w.state === 'watching';
        const first = before?.filesAtStart === 0 || now - w.addedAt < NOTIFY_RULES.firstBackupWindowMs;
        if (finished && first && (w.files >= NOTIFY_RULES.firstBackupFiles || w.bytes >= NOTIFY_RULES.firstBackupBytes)) {
            out.push({ key: `first-backup:${w.path}`, kind: 'first-backup', title: `${name} is backed up`, body: `${w.files.toLocaleString('en-US')} files (${formatBytes(w.bytes)}) are in your library. Shoebox keeps the folder backed up as it changes.` });
        }
    }
    return out;
}
function diskFullNotices(prev, s, next) {
    const newest = s.recentErrors.filter((e) => e.code === 'DISK_FULL').sort((a, b) => b.at - a.at)[0];
    if (!newest || newest.at <= prev.diskFullSeenAt)
        return [];
    next.diskFullSeenAt = newest.at;
    if (prev.startedAt === null)
        return []; // from before this run: not news
    return [{ key: 'disk-full', kind: 'disk-full', title: 'The library\'s disk is full', body: newest.message }];
}
function remoteNotices(prev, s, now, next) {
    const out = [];
    for (const r of s.remotes ?? []) {
        if (r.lastError === null)
            continue; // a success ends the streak (the entry is dropped)
        const streak = prev.remotes[r.url] ?? { failingSince: now, notified: false };
        next.remotes[r.url] = { ...streak };
        if (!streak.notified && now - streak.failingSince >= NOTIFY_RULES.remoteFailingMs) {
            out.push({ key: `remote:${r.url}`, kind: 'remote', title: 'The offsite copy keeps failing', body: `Pushing to ${r.url} has failed for ${Math.round((now - streak.failingSince) / 60_000)} minutes: ${r.lastError}` });
        }
    }
    return out;
}
/**
 * The desktop notifications a new status snapshot calls for (DESIGN §6): a watch that became
 * unavailable or failed, the library's disk full, a remote whose pushes keep failing, a large
 * first backup finished. Each key has a cool-down and at most `maxPerWindow` notices are shown
 * per `windowMs`; with notifications off nothing is shown, but the state still moves on (turning
 * them on later doesn't replay old news). Pure: the caller shows the notices and keeps the state.
 */
export function decideNotifications(prev, status, now, enabled) {
    const next = { startedAt: prev.startedAt ?? now, watches: {}, remotes: {}, diskFullSeenAt: prev.diskFullSeenAt, shownAt: { ...prev.shownAt }, recent: prev.recent.filter((t) => now - t < NOTIFY_RULES.windowMs) };
    const candidates = [...watchNotices(prev, status, now, next), ...diskFullNotices(prev, status, next), ...remoteNotices(prev, status, now, next)];
    const notices = [];
    for (const n of candidates) {
        const last = next.shownAt[n.key];
        if (!enabled || (last !== undefined && now - last < cooldown[n.kind]) || next.recent.length >= NOTIFY_RULES.maxPerWindow)
            continue;
        notices.push(n);
        next.shownAt[n.key] = now;
        next.recent.push(now);
        if (n.kind === 'remote')
            next.remotes[n.key.slice('remote:'.length)].notified = true;
    }
    // With notifications off a failing streak counts as told (turning them on doesn't replay it);
    // one held back by the overall limit is tried again on a later snapshot.
    if (!enabled)
        for (const r of Object.values(next.remotes))
            if (now - r.failingSince >= NOTIFY_RULES.remoteFailingMs)
                r.notified = true;
    return { state: next, notices };
}
//# sourceMappingURL=notification-rules.js.map