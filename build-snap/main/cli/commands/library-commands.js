import { withEngine } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { formatBytes, formatTable, printable } from '../../core/format.js';
/** `shoebox albums`, `shoebox ls [ALBUM]`, `shoebox status`: read-only views of the library. */
export function registerLibraryCommands(program, io, done) {
    program
        .command('albums')
        .description('list albums with file counts and sizes')
        .action(async (_, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const albums = engine.albums();
            if (g.json)
                io.stdout.write(`${JSON.stringify(albums)}\n`);
            else
                io.stdout.write(`${formatTable(['ALBUM', 'FILES', 'SIZE'], albums.map((a) => [printable(a.name), a.fileCount, formatBytes(a.bytes)]))}\n`);
            return ExitCode.ok;
        }));
    });
    program
        .command('ls')
        .description('list files by album (--json: one JSON object per membership per line)')
        .argument('[album]', 'only this album')
        .action(async (album, _, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const rows = engine.list(album);
            if (g.json) {
                for (const r of rows)
                    io.stdout.write(`${JSON.stringify(r)}\n`);
            }
            else {
                io.stdout.write(`${formatTable(['ALBUM', 'NAME', 'SIZE', 'ID', 'HASH'], rows.map((r) => [printable(r.album), printable(r.name), formatBytes(r.size), r.fileId, `${r.hashAlgorithm}:${r.hash.slice(0, 12)}`]))}\n`);
            }
            return ExitCode.ok;
        }));
    });
    program
        .command('status')
        .description('library totals and recent per-file errors')
        .action(async (_, self) => {
        const g = self.optsWithGlobals();
        done(await withEngine(io, g, false, (engine) => {
            const s = engine.status();
            if (g.json) {
                io.stdout.write(`${JSON.stringify(s)}\n`);
                return ExitCode.ok;
            }
            io.stdout.write(`Library  ${s.library}\nFiles    ${s.files} in ${s.albums} albums (${s.trashed} in Trash)\n` +
                `Stored   ${formatBytes(s.storedBytes)} in ${s.blobs} blobs (${s.hashAlgorithm})\n` +
                `Errors   ${s.errors === 0 ? 'none' : `${s.errors} files could not be backed up`}\n`);
            if (s.sync) {
                const st = s.sync;
                const line = st.state === 'paused' ? `Paused${st.pausedReason === 'upload' ? ' while a manual upload runs' : ''} (${st.queued} changes waiting)`
                    : st.state === 'syncing' ? `Backing up ${st.done} of ${st.total}${st.current ? ` — ${printable(st.current)}` : ''}`
                        : st.errors > 0 ? `${st.errors} files could not be backed up` : 'All backed up';
                io.stdout.write(`Engine   running (process ${st.pid}): ${line}\n`);
                for (const w of st.watches)
                    io.stdout.write(`  ${w.state.padEnd(11)} ${printable(w.path)} (${w.files} files${w.pending ? `, ${w.pending} pending` : ''})\n`);
            }
            else {
                io.stdout.write('Engine   not running\n');
            }
            for (const e of s.recentErrors)
                io.stdout.write(`  ✗ ${new Date(e.at).toISOString()} ${printable(e.message)} [${e.code}]\n`);
            return ExitCode.ok;
        }));
    });
}
//# sourceMappingURL=library-commands.js.map