import { ShoeboxError } from '../../core/errors.js';
import { withEngine } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, formatTable, printable } from '../../core/format.js';
/** Parses file ids given on the command line. */
export function parseIds(ids) {
    return ids.map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n <= 0)
            throw new ShoeboxError('USAGE', `"${s}" is not a file id (a positive whole number, as \`shoebox ls\` shows).`);
        return n;
    });
}
/** `shoebox rm`, `history`, `restore-version`, `reset-ignored`: single files. */
export function registerFileCommands(program, io, done) {
    program
        .command('rm')
        .description('move library files to Trash (their watched sources are not uploaded again)')
        .argument('<ids...>', 'file ids (from `shoebox ls`)')
        .action(async (ids, _, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const n = engine.trash.trash(parseIds(ids), { forgetSources: true, reason: 'deleted by you' });
            if (g.json)
                io.stdout.write(`${JSON.stringify({ trashed: n })}\n`);
            else
                io.stdout.write(`${n} file${n === 1 ? '' : 's'} moved to Trash.\n`);
            return ExitCode.ok;
        }));
    });
    program
        .command('history')
        .description('versions of an edited file, newest first')
        .argument('<id>', 'file id')
        .action(async (id, _, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const versions = engine.history(parseIds([id])[0]);
            if (g.json)
                io.stdout.write(`${JSON.stringify(versions)}\n`);
            else
                io.stdout.write(`${formatTable(['ID', 'NAME', 'SIZE', 'ADDED', 'ALBUMS'], versions.map((v) => [v.fileId, printable(v.name), formatBytes(v.size), new Date(v.createdAt).toISOString(), v.trashed ? '(Trash)' : v.albums.map(printable).join(', ')]))}\n`);
            return ExitCode.ok;
        }));
    });
    program
        .command('restore-version')
        .description('put an earlier version of a file back into its albums')
        .argument('<id>', 'the version\'s file id (from `shoebox history`)')
        .action(async (id, _, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const r = engine.restoreVersion(parseIds([id])[0]);
            if (g.json)
                io.stdout.write(`${JSON.stringify(r)}\n`);
            else
                io.stdout.write(`Version ${id} is back in ${r.albums.join(', ') || 'Uncategorized'}.\n`);
            return ExitCode.ok;
        }));
    });
    program
        .command('reset-ignored')
        .description('back up again sources whose library copies you deleted (Settings → Backup → Reset ignored files)')
        .action(async (_, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const n = engine.resetIgnored();
            if (g.json)
                io.stdout.write(`${JSON.stringify({ reset: n })}\n`);
            else
                io.stdout.write(`${n} ignored file${n === 1 ? '' : 's'} will be backed up again on the next sync.\n`);
            return ExitCode.ok;
        }));
    });
}
//# sourceMappingURL=file-commands.js.map