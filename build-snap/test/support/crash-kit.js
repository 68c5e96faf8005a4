// Kills placed by construction (issue #15): a CLI process runs with SHOEBOX_FAULTS rules (see
// [Note: Fault injection]) and is killed either by the engine itself at the n-th pass of a named
// point, or by the test right after the process reported the n-th pass of a point on stderr (a
// kill timed from the process's own progress, landing somewhere after that step); a `stop` rule a
// few passes later is the backstop, so even a test process that is slow to react kills it before
// the operation ends. No kill depends on how fast the machine is.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLI } from './fixtures.js';
const MARKER = /^shoebox-fault: (kill|stop|trace) ([a-z-]+) #(\d+) pid \d+$/;
const live = new Set();
process.on('exit', () => {
    for (const c of live)
        c.kill('SIGKILL'); // never leave a stopped child behind
});
/** A short, readable name for a plan (diagnostics). */
export function describePlan(p) {
    return p.kind === 'point' ? `${p.point} #${p.step}` : `after ${p.point} #${p.after} (backstop #${p.backstop})`;
}
/** The kind of kill, for tallies: the point, or `after <point>` for a progress-timed kill. */
export function killKind(p) {
    return p.kind === 'point' ? p.point : `after ${p.point}`;
}
/** The SHOEBOX_FAULTS value that carries out a plan. */
export function faultRules(p) {
    return p.kind === 'point' ? `${p.point}:kill:#${p.step}` : `${p.point}:trace,${p.point}:stop:#${p.backstop}`;
}
/**
 * `count` whole steps in [first, last], one drawn at random in each of `count` equal slices, in
 * ascending order: kills spread over the whole operation, reproducible from the seed.
 */
export function spreadSteps(rand, count, first, last) {
    const span = last - first + 1;
    return Array.from({ length: count }, (_, i) => first + Math.min(span - 1, Math.floor(((i + rand()) * span) / count)));
}
/** A whole number in [lo, hi] (hi below lo gives lo). */
export function between(rand, lo, hi) {
    return hi <= lo ? lo : lo + Math.floor(rand() * (hi - lo + 1));
}
/**
 * Runs `shoebox args` and kills it as planned. `meanwhile` (e.g. live changes for `run`) is
 * called with the pid over and over, `paceMs` apart, until the process is gone; the pause only paces those
 * changes and never decides when the kill lands. `giveUpMs` is a liveness guard only: a process
 * that has not reached its step by then is killed and reported as not landed (a hang, a defect).
 */
export async function runKilled(args, opts) {
    const { plan } = opts;
    const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env, SHOEBOX_FAULTS: faultRules(plan) },
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    live.add(child);
    let stderr = '';
    let pending = '';
    let lastPass = 0;
    let reached = false;
    child.stderr.on('data', (d) => {
        stderr += d.toString();
        pending += d.toString();
        const lines = pending.split('\n');
        pending = lines.pop();
        for (const line of lines) {
            const m = MARKER.exec(line);
            if (!m || m[2] !== plan.point)
                continue;
            const pass = Number(m[3]);
            if (m[1] === 'kill' && plan.kind === 'point' && pass === plan.step)
                reached = true;
            if (plan.kind === 'progress' && (m[1] === 'trace' || m[1] === 'stop')) {
                lastPass = Math.max(lastPass, pass);
                if (pass >= plan.after && !reached) {
                    reached = true;
                    child.kill('SIGKILL'); // right after the process said it passed the step
                }
            }
        }
    });
    const exited = once(child, 'close');
    let gone = false;
    let gaveUp = false;
    void exited.then(() => (gone = true), () => (gone = true));
    const guard = opts.giveUpMs === undefined ? undefined : setTimeout(() => {
        gaveUp = !reached;
        child.kill('SIGKILL');
    }, opts.giveUpMs);
    while (!gone && opts.meanwhile) {
        await opts.meanwhile(child.pid);
        await Promise.race([exited, sleep(opts.paceMs?.() ?? 50)]);
    }
    const [code, signal] = await exited;
    clearTimeout(guard);
    live.delete(child);
    return { plan, landed: reached && !gaveUp && signal === 'SIGKILL', lastPass, code, signal, stderr, pid: child.pid, gaveUp };
}
/**
 * Starts `shoebox args` so that it stops itself (SIGSTOP) at the `step`-th pass of `point`: for
 * race tests, which do something else while it waits exactly there, then `resume()` it (or kill it).
 */
export function spawnPaused(args, opts) {
    const child = spawn(process.execPath, [CLI, ...args], {
        env: { ...process.env, SHOEBOX_LIBRARY: opts.library, ...opts.env, SHOEBOX_FAULTS: `${opts.point}:stop:#${opts.step}` },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    const closed = once(child, 'close');
    const exited = closed.then(([code, signal]) => {
        live.delete(child);
        return { code, signal, stdout, stderr };
    });
    const paused = new Promise((resolve, reject) => {
        const marker = `shoebox-fault: stop ${opts.point} #${opts.step} `;
        const onData = (d) => {
            stderr += d.toString();
            if (!stderr.includes(marker))
                return;
            child.stderr.off('data', onData);
            child.stderr.on('data', (more) => (stderr += more.toString()));
            void (async () => {
                let state = processState(child.pid);
                for (; state !== 'T' && state !== 'gone'; state = processState(child.pid))
                    await sleep(2); // the SIGSTOP follows the marker at once
                if (state !== 'T')
                    return; // `exited` rejects
                hold(false);
                resolve();
            })().catch(reject);
        };
        child.stderr.on('data', onData);
        void exited.then((e) => reject(new Error(`shoebox ${args.join(' ')} ended (exit ${e.code}, signal ${e.signal}) before it reached ${opts.point} #${opts.step}: ${e.stderr.slice(-300)}`)));
    });
    // While it is stopped the child must not keep the test process alive: a test that fails then
    // still ends, and the exit hook kills the child.
    const hold = (on) => {
        for (const h of [child, child.stdout, child.stderr]) {
            if (on)
                h.ref();
            else
                h.unref();
        }
    };
    return {
        paused,
        resume: () => {
            hold(true);
            child.kill('SIGCONT');
        },
        exited,
        child,
    };
}
/** The state letter of a process in /proc (T: stopped), or 'gone'. */
function processState(pid) {
    try {
        return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[0];
    }
    catch {
        return 'gone';
    }
}
//# sourceMappingURL=crash-kit.js.map