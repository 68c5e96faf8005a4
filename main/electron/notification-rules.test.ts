// Desktop notification rules (issue #19): what needs the user, rate-limited, switchable. Pure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Status, Watch } from '../core/api/contract.js';
import { NOTIFY_RULES, decideNotifications, initialNotifyState, type Notice, type NotifyState } from './notification-rules.js';

const T0 = Date.UTC(2026, 10, 1);
const DAY = 86_400_000;
const MIN = 60_000;

function watch(over: Partial<Watch> = {}): Watch {
  return { id: 1, path: '/home/me/Pictures', mode: 'separate', poll: false, paused: false, addedAt: T0 - 30 * DAY, state: 'watching', message: null, files: 100, bytes: 1e6, pending: 0, cutOff: 0, ...over };
}

function status(over: { watches?: Watch[]; errors?: Status['recentErrors']; remotes?: Status['remotes'] } = {}): Status {
  return {
    library: '/lib', files: 0, albums: 0, storedBytes: 0, trashed: 0, errors: 0, recentErrors: over.errors ?? [], recentActivity: [], remotes: over.remotes ?? [],
    sync: { state: 'idle', pausedReason: null, queued: 0, done: 0, total: 0, current: null, errors: 0, watches: over.watches ?? [watch()] },
  };
}

/** Feeds snapshots in order; returns every notice shown. */
function run(steps: Array<[number, Status]>, enabled = true, start: NotifyState = initialNotifyState()): { notices: Array<Notice & { at: number }>; state: NotifyState } {
  let state = start;
  const notices: Array<Notice & { at: number }> = [];
  for (const [at, s] of steps) {
    const r = decideNotifications(state, s, at, enabled);
    state = r.state;
    notices.push(...r.notices.map((n) => ({ ...n, at })));
  }
  return { notices, state };
}

describe('notification rules', () => {
  it('a watch that becomes unavailable or failed is reported once, by name', () => {
    const { notices } = run([
      [T0, status()],
      [T0 + 1000, status({ watches: [watch({ state: 'unavailable' })] })],
      [T0 + 2000, status({ watches: [watch({ state: 'unavailable' })] })],
    ]);
    assert.deepEqual(notices.map((n) => [n.kind, n.title]), [['watch', 'Pictures is unavailable']]);
    assert.match(notices[0]!.body, /\/home\/me\/Pictures can't be reached.*resumes when it is back/);
    const failed = run([[T0, status({ watches: [watch({ state: 'failed', message: 'Too many folders to watch: raise fs.inotify.max_user_watches.' })] })]]).notices;
    assert.deepEqual(failed.map((n) => n.title), ['Shoebox stopped watching Pictures']);
    assert.match(failed[0]!.body, /^Too many folders to watch.*Open Shoebox/);
  });

  it('a flapping drive is reported at most once per cool-down', () => {
    const steps: Array<[number, Status]> = [];
    for (let i = 0; i < 10; i++) steps.push([T0 + i * 20 * MIN, status({ watches: [watch({ state: i % 2 ? 'watching' : 'unavailable' })] })]);
    steps.push([T0 + NOTIFY_RULES.watchCooldownMs + 1, status({ watches: [watch({ state: 'unavailable' })] })]);
    assert.equal(run(steps).notices.length, 2);
  });

  it('a large first backup that finishes is reported; a small one, or a later catch-up, is not', () => {
    const added = T0 - 40 * DAY;
    const big = run([
      [T0, status({ watches: [watch({ files: 0, pending: 0, addedAt: added })] })],
      [T0 + MIN, status({ watches: [watch({ files: 0, pending: 2000, addedAt: added })] })],
      [T0 + 30 * MIN, status({ watches: [watch({ files: 1200, pending: 800, addedAt: added })] })],
      [T0 + 60 * MIN, status({ watches: [watch({ files: 2000, bytes: 5e9, pending: 0, addedAt: added })] })],
    ]).notices;
    assert.deepEqual(big.map((n) => [n.kind, n.title]), [['first-backup', 'Pictures is backed up']]);
    assert.match(big[0]!.body, /^2,000 files \(.*\) are in your library/);
    const small = run([
      [T0, status({ watches: [watch({ files: 0, pending: 10, addedAt: added })] })],
      [T0 + MIN, status({ watches: [watch({ files: 10, pending: 0, addedAt: added })] })],
    ]).notices;
    assert.deepEqual(small, []);
    const catchUp = run([
      [T0, status({ watches: [watch({ files: 5000, pending: 0 })] })],
      [T0 + MIN, status({ watches: [watch({ files: 5000, pending: 900 })] })],
      [T0 + 9 * MIN, status({ watches: [watch({ files: 5900, pending: 0 })] })],
    ]).notices;
    assert.deepEqual(catchUp, [], 'a watch backed up long ago catching up is not a first backup');
  });

  it('a first backup interrupted by a restart still counts while the watch is less than a day old', () => {
    const fresh = T0 - 3 * 3600_000;
    const { notices } = run([
      [T0, status({ watches: [watch({ files: 700, pending: 300, addedAt: fresh })] })],
      [T0 + MIN, status({ watches: [watch({ files: 1000, pending: 0, addedAt: fresh })] })],
    ]);
    assert.deepEqual(notices.map((n) => n.kind), ['first-backup']);
  });

  it('the disk full is reported when it happens, with the engine\'s message, not for entries from before', () => {
    const old = { at: T0 - DAY, code: 'DISK_FULL', path: null, message: 'old' };
    const now = { at: T0 + 5000, code: 'DISK_FULL', path: null, message: 'The disk holding /lib is full. Free some space; syncing retries on its own.' };
    const { notices } = run([
      [T0, status({ errors: [old] })],
      [T0 + 6000, status({ errors: [now, old] })],
      [T0 + 7000, status({ errors: [now, old] })],
      [T0 + 10 * MIN, status({ errors: [{ ...now, at: T0 + 10 * MIN }, now, old] })],
    ]);
    assert.deepEqual(notices.map((n) => [n.kind, n.body]), [['disk-full', now.message]], 'once, then held by the cool-down');
  });

  it('a remote is reported after its pushes failed for 30 minutes, once per failing streak', () => {
    const remote = (lastError: string | null) => [{ url: 's3://bucket/photos', pushedBlobs: 1, pendingBlobs: 5, lastSnapshotAt: null, lastError }];
    const steps: Array<[number, Status]> = [];
    for (let m = 0; m <= 40; m += 5) steps.push([T0 + m * MIN, status({ remotes: remote('Access Denied') })]);
    steps.push([T0 + 41 * MIN, status({ remotes: remote(null) })]);
    for (let m = 42; m <= 80; m += 5) steps.push([T0 + m * MIN, status({ remotes: remote('Access Denied') })]);
    const { notices } = run(steps);
    assert.deepEqual(notices.map((n) => [n.at - T0, n.title]), [[30 * MIN, 'The offsite copy keeps failing'], [72 * MIN, 'The offsite copy keeps failing']]);
    assert.match(notices[0]!.body, /s3:\/\/bucket\/photos has failed for 30 minutes: Access Denied/);
  });

  it('no more than three notices per ten minutes, whatever happens', () => {
    const watches = Array.from({ length: 6 }, (_, i) => watch({ id: i + 1, path: `/media/card${i}` }));
    const { notices } = run([
      [T0, status({ watches })],
      [T0 + 1000, status({ watches: watches.map((w) => ({ ...w, state: 'unavailable' as const })) })],
    ]);
    assert.equal(notices.length, NOTIFY_RULES.maxPerWindow);
  });

  it('switched off: nothing is shown, and switching on later replays nothing', () => {
    const off = run([
      [T0, status()],
      [T0 + 1000, status({ watches: [watch({ state: 'unavailable' })] })],
    ], false);
    assert.deepEqual(off.notices, []);
    const on = run([[T0 + 2000, status({ watches: [watch({ state: 'unavailable' })] })]], true, off.state);
    assert.deepEqual(on.notices, []);
  });
});
