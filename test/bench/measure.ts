import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Wall time and peak RSS of one command run. */
export interface Measured {
  seconds: number;
  peakRssMb: number;
  /** User + system CPU time of the command (all its threads and children). */
  cpuSeconds: number;
}

/**
 * Runs a shell command under GNU time (for the peak RSS of the whole process tree's largest
 * process) and returns its wall time. Throws with the command's stderr if it fails.
 */
export function timeCommand(command: string, opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Measured {
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '__RSS_KB=%M __CPU=%U+%S', 'sh', '-c', command], { env: { ...process.env, ...opts.env }, cwd: opts.cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`bench command failed (${r.status}): ${command}\n${r.stderr}`);
  const kb = Number(/__RSS_KB=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  const cpu = /__CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return { seconds, peakRssMb: kb / 1024, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN };
}

/** Total bytes of the regular files under a folder. */
export function treeBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? treeBytes(p) : fs.statSync(p).size;
  }
  return total;
}

/** True if a command is on PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Reads every file once so all tools start with a warm page cache. */
export function warmCache(dir: string): void {
  spawnSync('sh', ['-c', `find "${dir}" -type f -print0 | xargs -0 cat > /dev/null`]);
}

/** One printed benchmark row. */
export interface BenchRow {
  group: string;
  tool: string;
  value: string;
  ratio?: string;
  note?: string;
}

/** Prints rows as an aligned table. */
export function printRows(rows: BenchRow[]): void {
  const cols: Array<keyof BenchRow> = ['group', 'tool', 'value', 'ratio', 'note'];
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(cols.map((c) => c.toUpperCase())));
  for (const r of rows) console.log(line(cols.map((c) => r[c] ?? '')));
}
