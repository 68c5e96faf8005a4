import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plural } from './format.js';

describe('counts in messages', () => {
  it('a count of exactly one takes the singular; zero and more take the plural, regular or given', () => {
    assert.equal(plural(1, 'group'), '1 group');
    assert.equal(plural(0, 'group'), '0 groups');
    assert.equal(plural(2, 'file'), '2 files');
    assert.equal(plural(1, 'extra copy', 'extra copies'), '1 extra copy');
    assert.equal(plural(3, 'extra copy', 'extra copies'), '3 extra copies');
  });
});
