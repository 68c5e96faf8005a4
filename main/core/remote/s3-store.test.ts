import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShoeboxError } from '../errors.js';
import { remoteTimeoutMs } from './s3-store.js';

describe('remote timeout setting', () => {
  it('unset or empty is 30 s; a number of ms is taken; anything else is refused by name, not ignored', () => {
    assert.equal(remoteTimeoutMs({}), 30_000);
    assert.equal(remoteTimeoutMs({ SHOEBOX_REMOTE_TIMEOUT_MS: '' }), 30_000);
    assert.equal(remoteTimeoutMs({ SHOEBOX_REMOTE_TIMEOUT_MS: '1500' }), 1500);
    for (const bad of ['abc', '0', '-5', '30s', 'Infinity']) {
      assert.throws(() => remoteTimeoutMs({ SHOEBOX_REMOTE_TIMEOUT_MS: bad }), (e: ShoeboxError) => e.code === 'USAGE' && e.userMessage.includes(`SHOEBOX_REMOTE_TIMEOUT_MS is "${bad}"`), bad);
    }
  });
});
