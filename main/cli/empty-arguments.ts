import { type Command, CommanderError } from 'commander';

/**
 * Refuses an empty argument ("") to any command, before it runs: a shell variable that was
 * never set turns `shoebox import "$CARD" --free-up` into `import ""`, and "" resolves to the
 * current folder — which was backed up and then freed. No argument or option of Shoebox means
 * anything when empty, so every one is checked here, once, for every command (exit 2).
 */
export function refuseEmptyArguments(action: Command, io: { stderr: NodeJS.WritableStream }): void {
  const name = commandName(action);
  const empty = action.args.findIndex((a) => a === '');
  if (empty >= 0) {
    fail(io, `an empty argument ("") was given to \`${name}\`; Shoebox never takes "" for the current folder: write . for that, or check the variable that should have held the path or name`);
  }
  for (const [key, value] of Object.entries(action.optsWithGlobals())) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => v === '')) {
      const flag = `--${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}`;
      fail(io, `${flag} was given an empty value ("") in \`${name}\`: give it a value, or leave the option out`);
    }
  }
}

function commandName(c: Command): string {
  const names: string[] = [];
  for (let x: Command | null = c; x; x = x.parent) names.unshift(x.name());
  return names.join(' ');
}

function fail(io: { stderr: NodeJS.WritableStream }, message: string): never {
  io.stderr.write(`shoebox: ${message}.\n`);
  throw new CommanderError(2, 'shoebox.emptyArgument', message);
}
