// The desktop app's log file (issue #19, [Note: Log file]): where it lives per platform, size
// rotation that keeps a few files, and unhandled errors of the process landing in it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/support/fixtures.js';
import { LOG_FILE_NAME, defaultLogDir, openLogFile } from './log-file.js';
import { createLogger } from './logger.js';
describe('log file location', () => {
    it('Linux: $XDG_STATE_HOME/shoebox/logs, else ~/.local/state/shoebox/logs', () => {
        assert.equal(defaultLogDir({ XDG_STATE_HOME: '/st' }, 'linux', '/home/me'), '/st/shoebox/logs');
        assert.equal(defaultLogDir({}, 'linux', '/home/me'), '/home/me/.local/state/shoebox/logs');
        assert.equal(defaultLogDir({ XDG_STATE_HOME: 'relative' }, 'linux', '/home/me'), '/home/me/.local/state/shoebox/logs', 'a relative XDG path is ignored, as the spec says');
    });
    it('macOS ~/Library/Logs/Shoebox, Windows %LOCALAPPDATA%\\Shoebox\\logs, SHOEBOX_LOG_DIR overrides', () => {
        assert.equal(defaultLogDir({}, 'darwin', '/Users/me'), '/Users/me/Library/Logs/Shoebox');
        assert.equal(defaultLogDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32', 'C:\\Users\\me'), path.join('C:\\Users\\me\\AppData\\Local', 'Shoebox', 'logs'));
        assert.equal(defaultLogDir({ SHOEBOX_LOG_DIR: '/tmp/x', XDG_STATE_HOME: '/st' }, 'linux', '/home/me'), '/tmp/x');
    });
});
describe('log rotation', () => {
    it('rotates by size into shoebox.log.1 … .N, keeps N, newest lines last, each file near the cap', async () => {
        const dir = path.join(tempDir(), 'logs');
        const f = openLogFile(dir, { maxBytes: 2048, keep: 3 });
        assert.equal(f.path, path.join(dir, LOG_FILE_NAME));
        const log = createLogger(f.sink);
        for (let i = 0; i < 300; i++)
            log.info(`line ${String(i).padStart(4, '0')} ${'x'.repeat(40)}`);
        await f.close();
        assert.deepEqual(fs.readdirSync(dir).sort(), ['shoebox.log', 'shoebox.log.1', 'shoebox.log.2', 'shoebox.log.3']);
        const lines = ['shoebox.log.3', 'shoebox.log.2', 'shoebox.log.1', 'shoebox.log'].flatMap((n) => {
            const text = fs.readFileSync(path.join(dir, n), 'utf8');
            assert.ok(Buffer.byteLength(text) < 2048 + 200, `${n} is ${Buffer.byteLength(text)} bytes`);
            return text.split('\n').filter(Boolean);
        });
        const numbers = lines.map((l) => Number(/line (\d+)/.exec(l)[1]));
        assert.equal(numbers.at(-1), 299, 'the newest line is in shoebox.log');
        assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), 'the kept lines are the most recent ones, in order, none lost between files');
        assert.ok(numbers[0] > 0, 'the oldest were dropped');
        assert.equal(fs.statSync(path.join(dir, 'shoebox.log')).mode & 0o777, 0o600, 'the log is the owner\'s only');
    });
    it('a log folder that cannot be created falls back to the fallback sink and says so once', async () => {
        const blocker = path.join(tempDir(), 'file');
        fs.writeFileSync(blocker, '');
        const seen = [];
        const errors = [];
        const fallback = (_l, _s, m) => void seen.push(m);
        const f = openLogFile(path.join(blocker, 'logs'), { onError: (e) => errors.push(e), fallback });
        const log = createLogger(f.sink);
        for (let i = 0; i < 1000 && errors.length === 0; i++) { // until the stream reports (bounded: 10 s)
            log.info(`early ${i}`);
            await new Promise((r) => setTimeout(r, 10));
        }
        log.warn('after the failure');
        await f.close();
        assert.equal(errors.length, 1);
        assert.match(errors[0].message, /ENOTDIR|EEXIST/);
        assert.ok(seen.includes('after the failure'));
    });
});
describe('unhandled errors of the desktop app\'s process', () => {
    it('an uncaught exception and an unhandled rejection land in the log file; the process goes on', () => {
        const dir = tempDir();
        const url = (p) => pathToFileURL(path.resolve(import.meta.dirname, p)).href;
        const script = `
      import { openLogFile } from ${JSON.stringify(url('log-file.js'))};
      import { createLogger } from ${JSON.stringify(url('logger.js'))};
      import { logUnhandled } from ${JSON.stringify(url('../electron/unhandled.js'))};
      const f = openLogFile(${JSON.stringify(dir)});
      const log = createLogger(f.sink);
      logUnhandled(process, log);
      log.info('Shoebox started');
      setTimeout(() => { throw new Error('boom in a timer'); }, 5);
      void Promise.reject(new Error('nobody awaited this'));
      setTimeout(() => { log.info('still running'); void f.close().then(() => process.exit(0)); }, 100);
    `;
        const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 0, r.stderr);
        const text = fs.readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8');
        assert.match(text, /info {2}\[shoebox\] Shoebox started/);
        assert.match(text, /error \[shoebox\] uncaught exception .*Error: boom in a timer\\n {4}at /);
        assert.match(text, /error \[shoebox\] unhandled promise rejection .*nobody awaited this/);
        assert.match(text, /still running/);
    });
});
//# sourceMappingURL=log-file.test.js.map