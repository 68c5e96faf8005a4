import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ShoeboxError } from '../errors.js';
import { resolveLibraryDir, userHome } from './library-location.js';

describe('where the library and the home folder are', () => {
  it('an empty SHOEBOX_LIBRARY is refused, never taken for the current folder', () => {
    assert.throws(() => resolveLibraryDir(undefined, { SHOEBOX_LIBRARY: '' }), (err: unknown) => err instanceof ShoeboxError && err.code === 'USAGE' && /SHOEBOX_LIBRARY is set but empty/.test(err.userMessage));
    assert.equal(resolveLibraryDir('/x/lib', { SHOEBOX_LIBRARY: '' }), '/x/lib', '--library wins');
    assert.equal(resolveLibraryDir(undefined, { SHOEBOX_LIBRARY: '/y/lib' }), '/y/lib');
  });

  it('an empty or relative HOME falls back to the user database: the home is always absolute', { skip: process.platform === 'win32' ? 'HOME is not how Windows finds the home folder' : false }, () => {
    const saved = process.env.HOME;
    try {
      for (const home of ['', 'relative/home']) {
        process.env.HOME = home;
        assert.ok(path.isAbsolute(userHome()), `HOME="${home}" gave ${userHome()}`);
        assert.equal(userHome(), os.userInfo().homedir);
      }
    } finally {
      process.env.HOME = saved;
    }
  });
});
