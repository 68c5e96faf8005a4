import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methods } from '../api/contract.js';
import { parseOlderThan } from './older-than.js';

describe('the date filter (--older-than, the window\'s date)', () => {
  const now = new Date(2025, 5, 15, 12, 0, 0).getTime();

  it('a calendar day is its local midnight; a time is local unless it names its zone; an age counts back from now', () => {
    assert.deepEqual(parseOlderThan('2024-02-29', now), { ms: new Date(2024, 1, 29).getTime() });
    assert.deepEqual(parseOlderThan('2024-01-31T18:00', now), { ms: new Date(2024, 0, 31, 18, 0).getTime() });
    assert.deepEqual(parseOlderThan('2024-01-31T18:00:05.250Z', now), { ms: Date.UTC(2024, 0, 31, 18, 0, 5, 250) });
    assert.deepEqual(parseOlderThan('2024-01-31T18:00+02:00', now), { ms: Date.UTC(2024, 0, 31, 16, 0) });
    assert.deepEqual(parseOlderThan('90d', now), { ms: new Date(2025, 5, 15 - 90, 12).getTime() });
    assert.deepEqual(parseOlderThan('6m', now), { ms: new Date(2024, 11, 15, 12).getTime() });
    assert.deepEqual(parseOlderThan('2y', now), { ms: new Date(2023, 5, 15, 12).getTime() });
  });

  it('impossible dates are refused, never rolled over into another day', () => {
    for (const text of ['2026-13-45', '2024-02-30', '2023-02-29', '2024-04-31', '2024-00-10', '2024-01-00', '2024-01-31T24:00', '2024-01-31T23:60', '2024-01-31T12:00+25:00']) {
      const r = parseOlderThan(text, now);
      assert.ok('error' in r, `${text} was taken for ${'ms' in r ? new Date(r.ms).toISOString() : ''}`);
      assert.ok(r.error.startsWith(`"${text}" is not a`), r.error);
    }
  });

  it('anything else is refused, naming the text and the forms a date may take', () => {
    for (const text of ['5', '12/31', '1 2 3', '', ' 2024-01-31', '2024-1-31', 'yesterday', '90', 'd90', '2024-01-31T18', '99999999d']) {
      const r = parseOlderThan(text, now);
      assert.ok('error' in r, `${JSON.stringify(text)} was taken`);
      assert.match(r.error, /give a day as YYYY-MM-DD \(like 2024-01-31\), a time as 2024-01-31T18:00 \(local, or with Z or \+01:00\), or an age like 90d, 12w, 6m or 2y\.$/);
    }
  });

  it('the API takes a date only as a whole number of ms a calendar holds', () => {
    const params = methods['freeUp.review'].params;
    assert.equal(params.safeParse({ olderThan: new Date(2024, 0, 31).getTime() }).success, true);
    assert.equal(params.safeParse({ olderThan: null }).success, true);
    for (const bad of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 9e15, '2024-01-31']) assert.equal(params.safeParse({ olderThan: bad }).success, false, String(bad));
  });
});
