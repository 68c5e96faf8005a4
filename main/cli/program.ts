import { Command, CommanderError } from 'commander';
import { ShoeboxError } from '../core/errors.js';
import type { CliIO } from './cli-context.js';
import { registerLibraryCommands } from './commands/library-commands.js';
import { registerUpload } from './commands/upload-command.js';
import { registerWatchCommands } from './commands/watch-commands.js';
import { registerFileCommands } from './commands/file-commands.js';
import { registerDedupCommands } from './commands/dedup-commands.js';
import { registerServe } from './commands/serve-command.js';
import { registerExportCommands } from './commands/export-commands.js';
import { registerSimilar } from './commands/similar-command.js';
import { registerRemoteCommands } from './commands/remote-commands.js';
import { registerFreeUpCommands } from './commands/free-up-commands.js';
import { refuseEmptyArguments } from './empty-arguments.js';
import { ExitCode } from './exit-codes.js';
import { jsonText } from '../core/format.js';

/** Runs the `shoebox` command line with these arguments; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let code: number = ExitCode.ok;
  const done = (c: number) => {
    code = c;
  };
  const program = new Command('shoebox')
    .description('Back up photos and videos into a deduplicated library.')
    .option('--library <dir>', 'library folder (default: $SHOEBOX_LIBRARY, else the per-user app-data folder)')
    .option('--json', 'machine-readable output on stdout')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run `shoebox --help` for usage)')
    .hook('preAction', (_, action) => refuseEmptyArguments(action, io));
  registerUpload(program, io, done);
  registerLibraryCommands(program, io, done);
  registerWatchCommands(program, io, done);
  registerFileCommands(program, io, done);
  registerDedupCommands(program, io, done);
  registerServe(program, io, done);
  registerExportCommands(program, io, done);
  registerSimilar(program, io, done);
  registerRemoteCommands(program, io, done);
  registerFreeUpCommands(program, io, done);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return ExitCode.ok;
      // Commander has written its message to stderr; a `--json` caller reads stdout, so it gets the error there too.
      if (argv.includes('--json')) {
        // A command group given without its subcommand (`shoebox trash`): Commander printed its help.
        const group = argv.find((a) => program.commands.some((c) => c.name() === a)) ?? 'shoebox';
        const said = err.code === 'commander.help' ? `${group} needs a command; its help is on stderr` : err.message.replace(/^error: /, '');
        const error = new ShoeboxError('USAGE', said.replace(/\.?$/, '.'));
        io.stdout.write(`${jsonText({ error: error.toJSON() })}\n`);
      }
      return ExitCode.usage;
    }
    throw err;
  }
  return code;
}
