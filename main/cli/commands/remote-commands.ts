import type { Command } from 'commander';
import { ShoeboxError } from '../../core/errors.js';
import { formatBytes, formatTable, plural, printable, jsonText } from '../../core/format.js';
import { rebuildFromRemote, type RemoteSecret } from '../../core/remote/remote-service.js';
import { reportError, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';

/** Reads a secret without echo on a terminal; SHOEBOX_REMOTE_PASSPHRASE for scripts. */
async function askSecret(io: CliIO, prompt: string, envName: string): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new ShoeboxError('USAGE', `${prompt}: no terminal to ask on. Set ${envName}.`);
  io.stderr.write(`${prompt}: `);
  process.stdin.setRawMode(true);
  process.stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (d: Buffer) => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          done();
          io.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') {
          done();
          return reject(new ShoeboxError('USAGE', 'Cancelled.'));
        }
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    const done = () => {
      process.stdin.off('data', onData);
      process.stdin.setRawMode(false);
      process.stdin.pause();
    };
    process.stdin.on('data', onData);
  });
}

/** `shoebox remote add|ls|rm|status|push|check|restore`: the encrypted offsite copy (issue #10). */
export function registerRemoteCommands(program: Command, io: CliIO, done: (code: number) => void): void {
  const remote = program.command('remote').description('an encrypted offsite copy in an S3-compatible bucket');

  remote
    .command('add')
    .description('add a remote (new: choose a passphrase, get a recovery key; existing: its passphrase)')
    .argument('<url>', 's3://BUCKET/PREFIX')
    .option('--endpoint <url>', 'S3-compatible endpoint (MinIO, Backblaze B2, Cloudflare R2, Ceph…)')
    .option('--region <region>', 'region')
    .action(async (url: string, cmd: { endpoint?: string; region?: string }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, true, async (engine) => {
          const passphrase = await askSecret(io, 'Passphrase for the offsite copy', 'SHOEBOX_REMOTE_PASSPHRASE');
          const r = await engine.remotes.add(url, { ...(cmd.endpoint ? { endpoint: cmd.endpoint } : {}), ...(cmd.region ? { region: cmd.region } : {}), passphrase });
          if (g.json) io.stdout.write(`${jsonText({ remote: r.remote.url, recoveryKey: r.recoveryKey })}\n`);
          else {
            io.stdout.write(`Added ${r.remote.url}${r.remote.endpoint ? ` (${r.remote.endpoint})` : ''}. Everything is encrypted here before it is sent.\n`);
            if (r.recoveryKey) io.stdout.write(`\nRecovery key (shown once; write it down — with it, or the passphrase, a new machine can rebuild the library):\n\n  ${r.recoveryKey}\n\n`);
            io.stdout.write('`shoebox remote push` sends the library now; `shoebox run` keeps it up to date.\n');
          }
          return ExitCode.ok;
        }),
      );
    });

  remote
    .command('ls')
    .alias('status')
    .description('remotes and how far each is')
    .action(async (_: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, (engine) => {
          const s = engine.remotes.status();
          if (g.json) io.stdout.write(`${jsonText(s)}\n`);
          else {
            io.stdout.write(`${formatTable(['REMOTE', 'PUSHED', 'PENDING', 'SIZE', 'SNAPSHOT'], s.map((r) => [r.url, r.pushedBlobs, r.pendingBlobs + r.pendingDeletes, formatBytes(r.pushedBytes), r.lastSnapshotAt ? new Date(r.lastSnapshotAt).toISOString() : 'never']))}\n`);
            for (const r of s) if (r.lastError) io.stdout.write(`  ${r.url}: ${r.lastError}\n`);
          }
          return ExitCode.ok;
        }),
      );
    });

  remote
    .command('rm')
    .description('stop pushing to a remote (what is there stays)')
    .argument('<url>', 's3://BUCKET/PREFIX')
    .action(async (url: string, _: unknown, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const r = await engine.remotes.remove(url);
          io.stdout.write(g.json ? `${jsonText({ removed: r.url })}\n` : `${r.url} is no longer a remote of this library; what it holds stays there.\n`);
          return ExitCode.ok;
        }),
      );
    });

  remote
    .command('push')
    .description('send what the remote lacks now (encrypted), then a catalog snapshot')
    .argument('[url]', 'only this remote')
    .option('--limit-kbps <n>', 'bandwidth limit in kilobytes per second')
    .action(async (url: string | undefined, cmd: { limitKbps?: string }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const limit = cmd.limitKbps === undefined ? undefined : Number(cmd.limitKbps) * 1024;
          if (limit !== undefined && !(limit > 0)) throw new ShoeboxError('USAGE', '--limit-kbps takes a positive number.');
          const targets = url ? [url] : engine.remotes.list().map((r) => r.url);
          if (targets.length === 0) throw new ShoeboxError('NOT_FOUND', 'This library has no remote yet: `shoebox remote add s3://BUCKET/PREFIX`.');
          let failed = 0;
          for (const t of targets) {
            const s = await engine.remotes.push(t, { ...(limit ? { limitBytesPerSecond: limit } : {}), onProgress: (n, b) => { if (!g.json && io.stderr.isTTY) io.stderr.write(`\r${plural(n, 'file')}, ${formatBytes(b)}`); } });
            if (!g.json && io.stderr.isTTY) io.stderr.write('\n');
            failed += s.failed.length;
            io.stdout.write(g.json ? `${jsonText(s)}\n` : `${s.url}: sent ${plural(s.blobs, 'file')} (${formatBytes(s.bytes)}), deleted ${plural(s.deleted, 'purged one')}${s.snapshot ? ', catalog snapshot stored' : ''}.\n`);
            for (const f of s.failed) io.stderr.write(`  ✗ ${f.hash.slice(0, 12)}: ${f.message}\n`);
          }
          return failed > 0 ? ExitCode.partial : ExitCode.ok;
        }),
      );
    });

  remote
    .command('check')
    .description('verify the remote against the catalog (--read-data: decrypt and hash every object)')
    .argument('<url>', 's3://BUCKET/PREFIX')
    .option('--read-data', 'download, decrypt and verify every object')
    .action(async (url: string, cmd: { readData?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, false, async (engine) => {
          const r = await engine.remotes.check(url, !!cmd.readData);
          if (g.json) io.stdout.write(`${jsonText(r)}\n`);
          else {
            io.stdout.write(`${plural(r.expected, 'file')} expected: ${r.missing.length} missing, ${r.damaged.length} damaged${cmd.readData ? '' : ' (not read; --read-data checks every byte)'}, ${plural(r.extra.length, 'unknown object')}.\n`);
            for (const m of r.missing) io.stdout.write(`  ✗ missing: ${m.photos.map(printable).join(', ') || m.hash.slice(0, 12)} (not pushed yet? \`shoebox remote push\`)\n`);
            for (const d of r.damaged) io.stdout.write(`  ✗ damaged: ${printable(d.message)}\n`);
          }
          return r.missing.length + r.damaged.length > 0 ? ExitCode.library : ExitCode.ok;
        }),
      );
    });

  remote
    .command('restore')
    .description('rebuild a whole library from a remote alone (on a new machine), into an empty folder')
    .argument('<url>', 's3://BUCKET/PREFIX')
    .requiredOption('--to <dir>', 'the new library folder (must be empty)')
    .option('--endpoint <url>', 'S3-compatible endpoint')
    .option('--region <region>', 'region')
    .option('--recovery-key', 'unlock with the recovery key instead of the passphrase')
    .action(async (url: string, cmd: { to: string; endpoint?: string; region?: string; recoveryKey?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      try {
        const secret: RemoteSecret = cmd.recoveryKey
          ? { recoveryKey: await askSecret(io, 'Recovery key', 'SHOEBOX_RECOVERY_KEY') }
          : { passphrase: await askSecret(io, 'Passphrase', 'SHOEBOX_REMOTE_PASSPHRASE') };
        const s = await rebuildFromRemote(url, { ...(cmd.endpoint ? { endpoint: cmd.endpoint } : {}), ...(cmd.region ? { region: cmd.region } : {}), secret, to: cmd.to, onProgress: (d, t) => { if (!g.json && io.stderr.isTTY) io.stderr.write(`\r${d}/${t}`); } });
        if (!g.json && io.stderr.isTTY) io.stderr.write('\n');
        if (g.json) io.stdout.write(`${jsonText(s)}\n`);
        else {
          io.stdout.write(`Rebuilt the library in ${printable(s.library)}: ${plural(s.blobs, 'file')} (${formatBytes(s.bytes)}), each verified. Use it with --library ${printable(s.library)} (export, run…).\n`);
          for (const f of s.failed) io.stderr.write(`  ✗ ${printable(f.message)}\n`);
        }
        done(s.failed.length > 0 ? ExitCode.partial : ExitCode.ok);
      } catch (err) {
        done(reportError(io, g, err));
      }
    });
}
