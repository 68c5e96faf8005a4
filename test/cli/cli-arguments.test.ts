// Arguments no command may take for something else (real processes): an empty argument ("") is
// never the current folder, and `--older-than` takes only real calendar dates.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { jpeg, runCli, tempDir, writeTree } from '../support/fixtures.js';

describe('command-line arguments', () => {
  it('an empty path argument is refused with exit 2 by every command that takes paths, before anything is read or freed (the current folder stays as it was)', async () => {
    const cwd = path.join(tempDir(), 'Here');
    writeTree(cwd, { 'a.jpg': await jpeg('empty-arg-a', 2000), 'sub/b.jpg': await jpeg('empty-arg-b', 2000) });
    const library = path.join(tempDir(), 'lib');
    const env = { XDG_DATA_HOME: path.join(tempDir(), 'data') };
    const dest = path.join(tempDir(), 'out');
    const commands = [
      ['import', '', '--free-up', '--yes'], ['free-up', '', '--yes'], ['free-up', cwd, ''], ['upload', ''], ['watch', 'add', '', '--mode', 'single'],
      ['watch', 'rm', ''], ['export', ''], ['export', 'Album', ''], ['restore', '', '--to', dest], ['restore', cwd, '--to', ''], ['--library', '', 'status'],
    ];
    for (const args of commands) {
      const r = await runCli(args, { library, env, cwd });
      assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stderr}`);
      assert.match(r.stderr, /(an empty argument \(""\) was given to `shoebox [a-z -]+`; Shoebox never takes "" for the current folder|was given an empty value \(""\))/, JSON.stringify(args));
    }
    for (const id of ['99999999999999999999', '1e3', '0x10', '-1', '2.5']) {
      const r = await runCli(['rm', id], { library, env, cwd });
      assert.equal(r.code, 2, `rm ${id}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`"${id}" is not a file id`), r.stderr);
    }
    const bare = await runCli(['export'], { library, env, cwd });
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /export needs the folder to write into: `shoebox export --all DEST`/);
    assert.deepEqual(fs.readdirSync(cwd).sort(), ['a.jpg', 'sub']);
    assert.ok(fs.existsSync(path.join(cwd, 'sub/b.jpg')));
    assert.equal(fs.existsSync(library), false, 'no library was even made');
    assert.equal(fs.existsSync(path.join(env.XDG_DATA_HOME, 'Trash')), false);
  });

  it('export --all with an album name is refused (exit 2: it exported everything, ignoring the name); watch add of a watched folder says so before asking for a mode', async () => {
    const library = path.join(tempDir(), 'lib');
    const w = path.join(tempDir(), 'W');
    writeTree(w, { 'sub/a.jpg': await jpeg('args-watched') });
    assert.equal((await runCli(['watch', 'add', w, '--mode', 'single'], { library })).code, 0);
    const out = path.join(tempDir(), 'out');
    const all = await runCli(['export', '--all', 'W', out], { library });
    assert.equal(all.code, 2, all.stderr);
    assert.match(all.stderr, /--all exports every album; it takes no album names \("W"\)/);
    assert.equal(fs.existsSync(out), false);
    const again = await runCli(['watch', 'add', w], { library }); // no --mode, no terminal
    assert.equal(again.code, 7, again.stderr);
    assert.match(again.stderr, /is already watched\./);
    assert.doesNotMatch(again.stderr, /choose --mode/);
    const inside = await runCli(['watch', 'add', path.join(w, 'sub')], { library });
    assert.match(inside.stderr, /is inside .*, which is already watched/);
  });

  it('empty environment variables are unset, never the current folder: an empty SHOEBOX_LIBRARY is refused (exit 2); with HOME and XDG_DATA_HOME empty the Trash is the user\'s own', async () => {
    const cwd = path.join(tempDir(), 'Here');
    writeTree(cwd, { 'a.jpg': await jpeg('empty-env-a', 2000) });
    for (const args of [['status'], ['upload', path.join(cwd, 'a.jpg')], ['check', '--recover']]) {
      const r = await runCli(args, { library: '', cwd });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /SHOEBOX_LIBRARY is set but empty: set it to the library folder, or unset it/);
    }
    assert.deepEqual(fs.readdirSync(cwd), ['a.jpg'], 'no library made in the current folder');
    const library = path.join(tempDir(), 'lib');
    assert.equal((await runCli(['upload', cwd], { library, cwd })).code, 0);
    // The review says where files would go without moving them: not into ./.local/share/Trash.
    const r = await runCli(['free-up', '--dry-run', cwd], { library, cwd, env: { HOME: '', XDG_DATA_HOME: '' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Can free 1 file/);
    assert.deepEqual(fs.readdirSync(cwd), ['a.jpg']);
  });

  it('--older-than takes only real calendar dates, times and ages: impossible dates and junk are refused with exit 2, naming the value and the forms', async () => {
    const root = path.join(tempDir(), 'Photos');
    writeTree(root, { 'a.jpg': await jpeg('older-than-a', 2000) });
    const library = path.join(tempDir(), 'lib');
    assert.equal((await runCli(['upload', root], { library })).code, 0);
    for (const bad of ['2026-13-45', '2024-02-30', '2023-02-29', '5', '12/31', '1 2 3', '', '2024-01-31T24:00', 'yesterday']) {
      const r = await runCli(['free-up', '--dry-run', '--older-than', bad, root], { library });
      assert.equal(r.code, 2, `${bad}: ${r.stdout}`);
      assert.ok(r.stderr.includes(`"${bad}" is not a`), `${bad}: ${r.stderr}`);
      assert.match(r.stderr, /give a day as YYYY-MM-DD \(like 2024-01-31\), a time as 2024-01-31T18:00.*or an age like 90d/);
      const card = await runCli(['import', root, '--free-up', '--dry-run', '--older-than', bad], { library });
      assert.equal(card.code, 2, `import refuses ${bad} before backing anything up`);
      assert.doesNotMatch(card.stderr, /Backing up/);
    }
    for (const good of ['2024-02-29', '2024-01-31T18:00', '2024-01-31T18:00:05Z', '2024-01-31T18:00+02:00', '90d', '2y']) {
      const r = await runCli(['free-up', '--dry-run', '--older-than', good, root], { library });
      assert.equal(r.code, 0, `${good}: ${r.stderr}`);
    }
  });

  it('with --json, a usage error is also on stdout as {"error":{"code","userMessage"}}, the parser\'s own included', async () => {
    const library = path.join(tempDir(), 'lib');
    for (const [args, said] of [
      [['--json', 'bogus'], /unknown command 'bogus'/],
      [['--json', 'storage', '--bogus'], /unknown option '--bogus'/],
      [['--json', 'export'], /export needs the folder to write into/],
      [['--json', 'check', '--recover', '--repair'], /--recover is used on its own/],
      [['--json', '--library', library, 'trash'], /^trash needs a command; its help is on stderr\.$/],
    ] as const) {
      const r = await runCli([...args], { library });
      assert.equal(r.code, 2, args.join(' '));
      const out = JSON.parse(r.stdout) as { error: { code: string; userMessage: string } };
      assert.equal(out.error.code, 'USAGE', args.join(' '));
      assert.match(out.error.userMessage, said);
      if (!(args as readonly string[]).includes('trash')) assert.match(r.stderr, said, 'and on stderr for a person');
    }
    assert.equal((await runCli(['bogus'], { library })).stdout, '', 'without --json, nothing on stdout');
  });
});

