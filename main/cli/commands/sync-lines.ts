import type { SyncStatus, WatchInfo } from '../../core/watch/watch-service.js';
import { plural, printable } from '../../core/format.js';

/**
 * The engine's state in one line, as `status` and `watch ls` show it. `problems`: the files the
 * library lists as not backed up (status passes it, so its Engine line agrees with its Errors
 * line, earlier runs' and dismissed problems alike); else the engine's own count.
 */
export function syncLine(st: SyncStatus, problems = st.errors): string {
  if (st.state === 'paused') return `Paused${st.pausedReason === 'upload' ? ' while a manual upload runs' : ''} (${plural(st.queued, 'change')} waiting)`;
  if (st.state === 'syncing') return `Backing up ${st.done} of ${st.total}${st.current ? ` — ${printable(st.current)}` : ''}`;
  return problems > 0 ? `${plural(problems, 'file')} could not be backed up` : 'All backed up';
}

/**
 * The state shown for a watch: paused while it, or all syncing, is paused (its changes wait,
 * counted as pending: DESIGN §2), so `watch ls` and `status` never call a paused watch
 * "watching"; a folder that is unavailable or failed says that first; without an engine, stopped.
 */
export function shownWatchState(w: Pick<WatchInfo, 'paused' | 'state'>, sync: Pick<SyncStatus, 'state'> | null): string {
  if (w.paused) return 'paused';
  if (!sync) return 'stopped';
  if (sync.state === 'paused' && (w.state === 'watching' || w.state === 'scanning')) return 'paused';
  return w.state;
}
