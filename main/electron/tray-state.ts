import type { Status } from '../core/api/contract.js';

/** The tray icon's state (DESIGN §6). */
export type TrayIcon = 'idle' | 'syncing' | 'paused' | 'error';

/** One item of the tray menu. */
export type TrayMenuItem = { kind: 'status'; label: string } | { kind: 'action'; id: 'open' | 'pause' | 'resume' | 'quit'; label: string } | { kind: 'separator' };

/** What the tray shows for a status: icon, tooltip, menu. Pure, so it is tested without Electron. */
export interface TrayPresentation {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

/** The status line, as in the window's indicator: All backed up · Backing up 12 of 340 · Paused · 3 files could not be backed up. */
export function trayStatusLine(s: Status | null): string {
  const sync = s?.sync;
  if (!s || !sync) return 'Starting…';
  if (sync.state === 'paused') return sync.pausedReason === 'fault' ? 'Paused: the library needs attention' : 'Paused';
  if (sync.state === 'syncing') return `Backing up ${Math.min(sync.done + 1, sync.total)} of ${sync.total}`;
  if (sync.errors > 0) return `${sync.errors} file${sync.errors === 1 ? '' : 's'} could not be backed up`;
  return 'All backed up';
}

/** Maps the engine status to the tray. */
export function trayPresentation(s: Status | null): TrayPresentation {
  const sync = s?.sync;
  const line = trayStatusLine(s);
  const icon: TrayIcon = !sync ? 'idle' : sync.state === 'paused' ? (sync.pausedReason === 'fault' ? 'error' : 'paused') : sync.state === 'syncing' ? 'syncing' : sync.errors > 0 || sync.state === 'error' ? 'error' : 'idle';
  const paused = sync?.state === 'paused' && sync.pausedReason === 'user';
  return {
    icon,
    tooltip: `Shoebox — ${line}`,
    menu: [
      { kind: 'status', label: line },
      { kind: 'separator' },
      { kind: 'action', id: 'open', label: 'Open Shoebox' },
      paused ? { kind: 'action', id: 'resume', label: 'Resume sync' } : { kind: 'action', id: 'pause', label: 'Pause sync' },
      { kind: 'separator' },
      { kind: 'action', id: 'quit', label: 'Quit Shoebox' },
    ],
  };
}

/** Calls `fn` at most once per `ms` with the latest value (tray updates from a stream of status events). */
export function throttleLatest<T>(ms: number, fn: (v: T) => void, now: () => number = Date.now): (v: T) => void {
  let last = -Infinity;
  let pending: { v: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (!pending) return;
    last = now();
    const { v } = pending;
    pending = undefined;
    fn(v);
  };
  return (v: T) => {
    pending = { v };
    if (timer) return;
    const wait = last + ms - now();
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  };
}
