import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Command } from 'commander';
import { ShoeboxError } from '../../core/errors.js';
import { cliLogger, withEngine, type CliIO, type GlobalOptions } from '../cli-context.js';
import { ExitCode } from '../exit-codes.js';
import { jsonText } from '../../core/format.js';

/**
 * `shoebox serve [--port N] [--open]`: the engine plus the window, in a browser, on 127.0.0.1.
 * The API, the server and the preferences are loaded when `serve` runs: loading them (zod, ws,
 * conf) cost every other command ~0.2 s of CPU at start-up.
 */
export function registerServe(program: Command, io: CliIO, done: (code: number) => void): void {
  program
    .command('serve')
    .description('run the engine and serve the Shoebox window to a browser on 127.0.0.1 (for home servers)')
    .option('--port <n>', 'port (default 4750, or the next free one)')
    .option('--open', 'open the window in the default browser')
    .action(async (cmd: { port?: string; open?: boolean }, self: Command) => {
      const g = self.optsWithGlobals<GlobalOptions>();
      done(
        await withEngine(io, g, true, async (engine) => {
          const port = cmd.port === undefined ? undefined : Number(cmd.port);
          if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new ShoeboxError('USAGE', `--port must be a port number (0–65535), not "${cmd.port}".`);
          // Refused now if another engine holds the library, before the link is printed: a link
          // to a window whose engine never starts is dead.
          engine.lockRun();
          // Loaded here, not at the top, so other commands never load them: `conf` brings
          // `when-exit`, whose signal hook re-raises SIGINT/SIGTERM after its own clean-up (in
          // `upload`, which stops gracefully on the first Ctrl-C, that counted as the second one
          // and killed it at once); zod's ~50 locale files opened at once exhausted a low
          // open-files limit (`ulimit -n 64` broke even `--help`).
          const [{ ApiDispatcher }, { launchCommand, setLinuxAutostart }, { PrefsStore }, { startServe, uploadRoot }, { MEDIA_PREFIX }] = await Promise.all([
            import('../../core/api/dispatcher.js'), import('../../core/prefs/autostart-linux.js'), import('../../core/prefs/prefs-store.js'), import('../serve/serve-server.js'), import('../serve/serve-media.js'),
          ]);
          const prefs = new PrefsStore(io.env.SHOEBOX_CONFIG_DIR);
          const uploads = uploadRoot();
          const cli = path.resolve(process.argv[1] ?? 'shoebox');
          const dispatcher = new ApiDispatcher(engine, {
            shell: 'browser',
            nativeDialogs: false,
            uploadUrl: '/upload/',
            mediaBase: MEDIA_PREFIX,
            uploadBatchDir: (batchId) => path.join(uploads, batchId),
            prefs,
            // Under serve, "launch at startup" starts this `shoebox serve` at login (XDG autostart):
            // this library (not the default one), this port if one was given, and `--open`: its
            // link, with the run's token, opens in the browser (printed at login, no one sees it).
            applyLaunchAtStartup: (enabled) => {
              if (process.platform !== 'linux') throw new ShoeboxError('INVALID_ARGUMENT', 'Launch at startup is set by the desktop app on this system.');
              const args = [cli, '--library', engine.paths.root, 'serve', ...(port !== undefined ? ['--port', String(port)] : []), '--open'];
              setLinuxAutostart(enabled, { command: launchCommand(io.env, process.execPath, args), hidden: false, dir: io.env.SHOEBOX_AUTOSTART_DIR });
            },
          }, cliLogger(io));
          // SHOEBOX_DIAGNOSTICS=1: measure the event loop's lag (how long a click could wait) and print it at exit;
          // SIGUSR2 starts the measurement over (a bench measures a burst on its own).
          const lag = io.env.SHOEBOX_DIAGNOSTICS ? monitorEventLoopDelay({ resolution: 10 }) : undefined;
          lag?.enable();
          const restartLag = () => lag?.reset();
          if (lag) process.on('SIGUSR2', restartLag);
          // The window is served, and Ctrl-C listened for, before the engine's start-up work (the
          // catch-up of every watch, the stored-bytes scan: ~10 s for 100k files on a busy machine):
          // the link shows at once, and a Ctrl-C then stops cleanly after that work.
          let onSignal: () => void = () => undefined;
          const signalled = new Promise<null>((resolve) => {
            onSignal = () => resolve(null);
            process.once('SIGINT', onSignal);
            process.once('SIGTERM', onSignal);
          });
          const server = await startServe({ dispatcher, log: cliLogger(io), ...(port !== undefined ? { port } : {}), explicitPort: port !== undefined, uploadRoot: uploads, media: engine.media });
          io.stdout.write(`Shoebox is running. Open this link in a browser on this machine:\n\n  ${server.url}\n\n(library: ${engine.paths.root}; Ctrl-C stops)\n`);
          if (cmd.open) openBrowser(server.url, io);
          let run: Awaited<ReturnType<typeof engine.run>>;
          try {
            run = await engine.run();
          } catch (e) {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            if (lag) process.off('SIGUSR2', restartLag);
            await server.close();
            throw e;
          }
          const halted = await Promise.race([signalled, run.halted]); // halted: the library folder was moved away
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          io.stderr.write(halted ? `shoebox: ${halted.userMessage}\n` : 'shoebox: stopping…\n');
          // says what it waits for if stopping takes long (a second Ctrl-C stops at once)
          let step = 'closing the window connections';
          const slow = setInterval(() => io.stderr.write(`shoebox: still stopping: ${step}…\n`), 10_000);
          slow.unref();
          await server.close();
          step = 'finishing backups in progress';
          await run.stop();
          step = 'closing the library'; // the engine closes after this returns; `slow` is unref'd
          fs.rmSync(uploads, { recursive: true, force: true });
          if (lag) {
            process.off('SIGUSR2', restartLag);
            lag.disable();
            const ms = (ns: number) => Math.round(ns / 1e4) / 100;
            io.stderr.write(`shoebox: diagnostics ${jsonText({ eventLoopLagMs: { p50: ms(lag.percentile(50)), p99: ms(lag.percentile(99)), max: ms(lag.max) }, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
          }
          return halted ? ExitCode.library : ExitCode.ok;
        }),
      );
    });
}

function openBrowser(url: string, io: CliIO): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(cmd, [url], { detached: true, stdio: 'ignore' });
  child.on('error', () => io.stderr.write(`shoebox: could not open a browser (${cmd}); open the link above yourself.\n`));
  child.unref();
}
