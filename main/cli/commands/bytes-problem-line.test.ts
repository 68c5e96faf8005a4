import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesProblemLine } from './library-commands.js';

describe('the status line for lost or damaged stored bytes', () => {
  it('agrees in number: one file has lost its bytes, several have lost theirs; none says nothing', () => {
    assert.match(bytesProblemLine(1, 0) ?? '', /^1 file has lost its stored bytes\. /);
    assert.match(bytesProblemLine(3, 1) ?? '', /^3 files have lost their stored bytes; 1 file has damaged stored bytes\. /);
    assert.equal(bytesProblemLine(0, 0), null);
  });
});
