import type { Status } from './contract.js';
import { pluralGrouped as plural } from '../format.js';

/** What to tell a person about files whose stored bytes are gone or damaged, or null when there are none (issue #15). */
export function lostBytesLine(s: Status | null): string | null {
  const missing = s?.missingBytes ?? 0;
  const damaged = s?.damagedBytes ?? 0;
  if (missing + damaged === 0) return null;
  const parts = [];
  if (missing > 0) parts.push(`${missing} file${missing === 1 ? ' has' : 's have'} lost ${missing === 1 ? 'its' : 'their'} stored bytes`);
  if (damaged > 0) parts.push(`${damaged} file${damaged === 1 ? ' has' : 's have'} damaged stored bytes`);
  return parts.join(', ');
}

/**
 * The one-line state of the window's indicator and the tray (DESIGN §6); never a stale "All
 * backed up" while disconnected. It counts the errors the panel lists (recentErrors: each file
 * still in trouble, [Note: Current errors]), not sync.errors, the engine's count for this run
 * only: that said "All backed up" after a restart over a panel still listing an earlier error.
 */
export function statusLine(s: Status | null, connected = true): string {
  if (!connected) return 'Not connected';
  if (!s) return 'Connecting…';
  const sync = s.sync;
  const lost = lostBytesLine(s);
  if (!sync) return lost ?? 'Backup engine not running';
  if (lost && sync.state !== 'syncing') return lost;
  if (sync.state === 'paused') return sync.pausedReason === 'upload' ? 'Paused while uploading' : sync.pausedReason === 'fault' ? 'Paused: the library needs attention' : 'Paused';
  if (sync.state === 'syncing') return `Backing up ${Math.min(sync.done + 1, sync.total)} of ${sync.total}`;
  const problems = s.recentErrors.length;
  if (problems > 0) return `${plural(problems, 'file')} could not be backed up`;
  return 'All backed up';
}

/** The colour of that state: the window's dot and the tray's icon. */
export type StatusTone = 'unknown' | 'idle' | 'syncing' | 'paused' | 'error';

/** The tone of statusLine's state, decided in the same order: lost bytes, syncing, paused, problems. */
export function statusTone(s: Status | null, connected = true): StatusTone {
  const lost = lostBytesLine(s) !== null;
  const sync = connected ? s?.sync : null;
  if (!sync) return lost ? 'error' : 'unknown';
  if (sync.state === 'syncing') return 'syncing';
  if (lost) return 'error';
  if (sync.state === 'paused') return sync.pausedReason === 'fault' ? 'error' : 'paused';
  return s!.recentErrors.length > 0 || sync.state === 'error' ? 'error' : 'idle';
}
