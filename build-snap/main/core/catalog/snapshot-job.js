import { libraryWriteError } from '../errors.js';
import { DamageFound, catalogDamagedError } from './catalog-damage.js';
import { dailySnapshotDue, listSnapshots } from './catalog-snapshots.js';
/**
 * The engine's daily catalog snapshot (see [Note: Catalog snapshots]): looks shortly after start
 * and then every hour whether the newest daily snapshot is a day old, and takes one in a worker
 * thread.
 * One at a time; stop() waits for one in flight. A unit of its own so it can join a job runner.
 */
export class SnapshotJob {
    deps;
    timer;
    firstLook;
    inFlight;
    stopped = false;
    constructor(deps) {
        this.deps = deps;
    }
    /** Looks soon, then on every interval. */
    start() {
        this.stopped = false;
        this.firstLook = setTimeout(() => this.tick(), this.deps.firstLookMs ?? 10_000);
        this.timer = setInterval(() => this.tick(), this.deps.intervalMs ?? 3600_000);
    }
    /** The snapshot in flight, if any (tests wait on it). */
    get pending() {
        return this.inFlight;
    }
    /** Stops looking and waits for a snapshot in flight. */
    async stop() {
        this.stopped = true;
        clearTimeout(this.firstLook);
        clearInterval(this.timer);
        await this.inFlight;
    }
    tick() {
        if (this.stopped || this.inFlight)
            return;
        let due;
        try {
            due = dailySnapshotDue(this.deps.list(), this.deps.now());
        }
        catch (err) {
            this.deps.log.warn('cannot list catalog snapshots', { error: err.message });
            return;
        }
        if (!due)
            return;
        this.inFlight = this.deps
            .take()
            .then((r) => this.settle(r))
            .catch((err) => this.deps.log.warn('catalog snapshot failed; retrying in an hour', { error: err.message }))
            .finally(() => (this.inFlight = undefined));
    }
    settle(r) {
        const { log } = this.deps;
        if (!r.ok) {
            if (r.damaged)
                this.deps.reportDamage(`The catalog could not be copied because it is damaged (${r.message}). Run \`shoebox check\`.`);
            else
                log.warn('catalog snapshot failed; retrying in an hour', { code: r.code, error: r.message });
            return;
        }
        log.info('catalog snapshot taken', { file: r.snapshot.name, bytes: r.snapshot.bytes, copyMs: r.snapshot.copyMs, checkMs: r.snapshot.checkMs, pruned: r.pruned.length });
        if (r.sourceProblems.length > 0) {
            this.deps.reportDamage(`The catalog failed its integrity check (${r.sourceProblems.slice(0, 3).join('; ')}); today's snapshot is good. Run \`shoebox check\`.`);
        }
    }
}
/** The engine's daily snapshot job over an open library (its snapshots go to `<library>/snapshots`). */
export function snapshotJobFor(ctx) {
    const log = ctx.log.child('snapshot');
    return new SnapshotJob({
        take: () => ctx.pool.snapshotCatalog({ catalogPath: ctx.paths.catalog, dir: ctx.paths.snapshots, kind: 'daily', at: ctx.now(), checkSource: true }),
        list: () => listSnapshots(ctx.paths.snapshots),
        now: ctx.now,
        log,
        reportDamage: (message) => {
            log.error(message);
            try {
                ctx.cdb.write(() => ctx.activity.record('error', 'CATALOG_DAMAGED', message));
            }
            catch (err) {
                log.warn('could not record the damage in the activity log', { error: err.message });
            }
        },
    });
}
/**
 * Takes a verified snapshot now (before an operation that deletes rows; see [Note: Catalog
 * snapshots]). A catalog that can't be copied whole is damaged: that throws LIBRARY_CORRUPT, so
 * the operation is refused rather than run on it.
 */
export async function takeSnapshot(ctx, kind) {
    const r = await ctx.pool.snapshotCatalog({ catalogPath: ctx.paths.catalog, dir: ctx.paths.snapshots, kind, at: ctx.now(), checkSource: false });
    if (r.ok)
        return r.snapshot;
    const cause = Object.assign(new Error(r.message), { code: r.code });
    throw r.damaged ? catalogDamagedError(ctx.paths.catalog, new DamageFound(r.message)) : libraryWriteError(cause, ctx.paths.root);
}
//# sourceMappingURL=snapshot-job.js.map