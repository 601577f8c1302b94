/** The review console's readable dates, ages, periods and scores (src/server/review/format.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { birthDateWithAge, expiryWithPeriod, period, readableDate, readableScore, readableTime } from '../../src/server/review/format.js';
import type { Factor } from '../../src/server/verification/types.js';

const NOW = Date.parse('2026-01-15T10:00:00Z');

test('dates, ages and periods in words', () => {
  assert.equal(readableDate('1982-12-25'), '25 Dec 1982');
  assert.equal(readableDate('821225'), '821225', 'not an ISO date: shown as given');
  assert.equal(readableTime('2026-01-15T10:00:00.000Z'), '15 Jan 2026, 10:00 UTC');
  assert.equal(birthDateWithAge('1982-12-25', NOW), '25 Dec 1982 (age 43)');
  assert.equal(birthDateWithAge('2008-01-16', NOW), '16 Jan 2008 (age 17)', 'the birthday is tomorrow');
  assert.equal(expiryWithPeriod('2013-08-12', NOW), '12 Aug 2013 (expired 12 years ago)');
  assert.equal(expiryWithPeriod('2026-01-15', NOW), '15 Jan 2026 (expires today)');
  assert.equal(expiryWithPeriod('2026-02-14', NOW), '14 Feb 2026 (valid, 30 days left)');
  assert.equal(period(1), '1 day');
  assert.equal(period(-90), '2 months');
  assert.equal(period(4536), '12 years');
});

test('factor scores by their unit (no "-4536 days")', () => {
  const f = (score: number | null, scoreUnit?: string): Factor => ({ name: 'documentExpiry', level: 'LOW', score, evidence: scoreUnit ? { scoreUnit } : {} });
  assert.equal(readableScore(f(-4536, 'days until expiry')), 'expired 12 years ago');
  assert.equal(readableScore(f(2271, 'days until expiry')), '6 years left');
  assert.equal(readableScore(f(41, 'years')), '41 years');
  assert.equal(readableScore(f(0.5, 'share of comparisons that agree')), '50 % (share of comparisons that agree)');
  assert.equal(readableScore(f(0.612, '1 - Euclidean distance of the face embeddings')), '0.612 (1 - Euclidean distance of the face embeddings)');
  assert.equal(readableScore(f(null)), '—');
});
