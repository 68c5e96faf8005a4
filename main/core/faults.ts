// [Note: Fault injection]
// The write paths of the engine call `injectFault(point)` first. Normally it does nothing. With
// SHOEBOX_FAULTS set (the torture suite and tests do), it throws the configured error at that
// point, exactly like the file system or SQLite would: e.g.
//   SHOEBOX_FAULTS=blob-write:ENOSPC:0.2,catalog-write:SQLITE_IOERR:0.05
// makes 20% of blob writes fail with ENOSPC and 5% of catalog transactions with an I/O error.
// A count instead of a probability (`blob-place:EIO:#3`) fails only the 3rd call (per process/thread).
// SHOEBOX_FAULTS_UNTIL=<epoch ms> ends the faults at that time (the disk "gets space back").

/** The places where a write can be made to fail. */
export type FaultPoint = 'blob-write' | 'blob-place' | 'catalog-write';

interface Rule {
  point: FaultPoint;
  code: string;
  probability?: number;
  nth?: number;
}

let rules: Rule[] | undefined;
const calls = new Map<FaultPoint, number>();
let seed = 0;
let until: number | undefined;

function parse(spec: string): Rule[] {
  return spec.split(',').filter(Boolean).map((part) => {
    const [point, code, when] = part.split(':') as [FaultPoint, string, string | undefined];
    if (when?.startsWith('#')) return { point, code, nth: Number(when.slice(1)) };
    return { point, code, probability: when === undefined ? 1 : Number(when) };
  });
}

function random(): number {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
}

/** Throws the configured fault for this point, if any (see [Note: Fault injection]). */
export function injectFault(point: FaultPoint): void {
  if (rules === undefined) {
    rules = parse(process.env.SHOEBOX_FAULTS ?? '');
    seed = Number(process.env.SHOEBOX_FAULTS_SEED ?? process.pid) >>> 0;
    until = process.env.SHOEBOX_FAULTS_UNTIL ? Number(process.env.SHOEBOX_FAULTS_UNTIL) : undefined;
  }
  if (rules.length === 0) return;
  if (until !== undefined && Date.now() > until) return; // the fault has "cleared" (space came back)
  const n = (calls.get(point) ?? 0) + 1;
  calls.set(point, n);
  for (const r of rules) {
    if (r.point !== point) continue;
    if (r.nth !== undefined ? r.nth === n : random() < (r.probability ?? 0)) {
      throw Object.assign(new Error(`${r.code}: injected fault at ${point}`), { code: r.code, injected: true });
    }
  }
}
