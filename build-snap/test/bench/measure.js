import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
/**
 * Runs a shell command under GNU time (for the peak RSS of the whole process tree's largest
 * process) and returns its wall time. Throws with the command's stderr if it fails.
 */
export function timeCommand(command, opts = {}) {
    const started = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '__RSS_KB=%M', 'sh', '-c', command], { env: { ...process.env, ...opts.env }, cwd: opts.cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0)
        throw new Error(`bench command failed (${r.status}): ${command}\n${r.stderr}`);
    const kb = Number(/__RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0);
    return { seconds, peakRssMb: kb / 1024 };
}
/** Total bytes of the regular files under a folder. */
export function treeBytes(dir) {
    let total = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        total += e.isDirectory() ? treeBytes(p) : fs.statSync(p).size;
    }
    return total;
}
/** True if a command is on PATH. */
export function have(cmd) {
    return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
/** Reads every file once so all tools start with a warm page cache. */
export function warmCache(dir) {
    spawnSync('sh', ['-c', `find "${dir}" -type f -print0 | xargs -0 cat > /dev/null`]);
}
/** Prints rows as an aligned table. */
export function printRows(rows) {
    const cols = ['group', 'tool', 'value', 'ratio', 'note'];
    const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
    const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    console.log(line(cols.map((c) => c.toUpperCase())));
    for (const r of rows)
        console.log(line(cols.map((c) => r[c] ?? '')));
}
//# sourceMappingURL=measure.js.map