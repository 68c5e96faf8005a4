import type { Status } from '../core/api/contract.js';
import { statusLine, statusTone } from '../core/api/status-line.js';

/** The tray icon's state (DESIGN §6). */
export type TrayIcon = 'idle' | 'syncing' | 'paused' | 'error';

/** One item of the tray menu: a line of text, an action, or a separator. */
export type TrayMenuItem = { kind: 'status'; label: string } | { kind: 'action'; id: 'open' | 'openLibrary' | 'pause' | 'resume' | 'quit'; label: string } | { kind: 'separator' };

/** How many recent events the tray menu lists. */
export const TRAY_RECENT_EVENTS = 3;

/** What the tray shows for a status: icon, tooltip, menu. Pure, so it is tested without Electron. */
export interface TrayPresentation {
  icon: TrayIcon;
  tooltip: string;
  menu: TrayMenuItem[];
}

/**
 * The status line, the window indicator's (status-line.ts): All backed up · Backing up 12 of 340 ·
 * Paused · 3 files could not be backed up. Before the engine runs: Starting….
 */
export function trayStatusLine(s: Status | null): string {
  return s?.sync ? statusLine(s) : 'Starting…';
}

/** The progress line under the status while backing up: percent done and the file at hand. */
export function trayProgressLine(s: Status | null): string | null {
  const sync = s?.sync;
  if (!sync || sync.state !== 'syncing' || sync.total === 0) return null;
  const pct = Math.floor((100 * sync.done) / sync.total);
  const current = sync.current ? ` · ${shorten(sync.current.split(/[\\/]/).at(-1) ?? sync.current, 40)}` : '';
  return `${pct}% done${current}`;
}

function shorten(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** The last few events (activity and errors, newest first) as menu lines: "14:05 Backed up IMG_1.jpg into Summer". */
export function trayRecentEvents(s: Status | null, n = TRAY_RECENT_EVENTS, timeOf: (at: number) => string = clockTime): string[] {
  if (!s) return [];
  return [...s.recentActivity, ...s.recentErrors]
    .sort((a, b) => b.at - a.at)
    .slice(0, n)
    .map((e) => `${timeOf(e.at)} ${shorten(e.message, 60)}`);
}

function clockTime(at: number): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** Maps the engine status to the tray. */
export function trayPresentation(s: Status | null, timeOf: (at: number) => string = clockTime): TrayPresentation {
  const sync = s?.sync;
  const line = trayStatusLine(s);
  const progress = trayProgressLine(s);
  const recent = trayRecentEvents(s, TRAY_RECENT_EVENTS, timeOf);
  const tone = statusTone(s);
  const icon: TrayIcon = tone === 'unknown' ? 'idle' : tone;
  const paused = sync?.state === 'paused' && sync.pausedReason === 'user';
  return {
    icon,
    tooltip: `Shoebox — ${line}`,
    menu: [
      { kind: 'status', label: line },
      ...(progress ? [{ kind: 'status' as const, label: progress }] : []),
      { kind: 'separator' },
      ...(recent.length > 0 ? [...recent.map((label) => ({ kind: 'status' as const, label })), { kind: 'separator' as const }] : []),
      { kind: 'action', id: 'open', label: 'Open Shoebox' },
      { kind: 'action', id: 'openLibrary', label: 'Open library folder' },
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
