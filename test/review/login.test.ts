import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodedError } from '../../src/shared/errors.js';
import { hashPassword } from '../../src/server/session/credentials.js';
import { operatorRepo } from '../../src/server/store/operators.js';
import { FAILED_LOGIN_WINDOW_MS, MAX_FAILED_LOGINS, createLoginThrottle, currentUser, logIn } from '../../src/server/review/login.js';
import { createTestTenant, openTestStore } from '../helpers/service.js';

const code = (p: Promise<unknown>) => p.then(() => 'OK', (e: unknown) => (e instanceof CodedError ? `${e.code}:${e.message}` : String(e)));

test('console login: right password signs in, wrong ones are counted and then refused for the window; tokens are checked by hash and expire', async () => {
  const { store, drop } = await openTestStore();
  try {
    const tenant = await createTestTenant(store);
    const ops = operatorRepo(store.db);
    await ops.insert({ id: crypto.randomUUID(), tenantId: tenant.tenant.id, username: 'alice', passwordHash: await hashPassword('right-password'), disabledAt: null, createdAt: 0 });
    let now = 1_000_000;
    const throttle = createLoginThrottle(store.rateLimits, () => now);
    const { token, operator } = await logIn(ops, throttle, 'alice', 'right-password', now);
    assert.equal(operator.username, 'alice');
    const user = await currentUser(ops, `other=1; idv_console=${token}`, now);
    assert.equal(user.operator.id, operator.id);
    assert.equal(await code(currentUser(ops, `idv_console=${token}x`, now)), "OPERATOR_UNAUTHORIZED:Sign in to the review console.");
    assert.equal(await code(currentUser(ops, `idv_console=${token}`, now + 8 * 3600_000 + 1)), "OPERATOR_UNAUTHORIZED:Sign in to the review console.");
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) assert.match(await code(logIn(ops, throttle, 'alice', 'wrong', now)), /^OPERATOR_UNAUTHORIZED:Sign in/);
    // Now even the right password is refused until the window ends.
    assert.equal(await code(logIn(ops, throttle, 'alice', 'right-password', now)), 'OPERATOR_UNAUTHORIZED:too many failed sign-ins');
    now += FAILED_LOGIN_WINDOW_MS + 1;
    assert.equal(await code(logIn(ops, throttle, 'alice', 'right-password', now)), 'OK');
    // Unknown usernames cost the same and are counted too.
    assert.match(await code(logIn(ops, throttle, 'nobody', 'x', now)), /^OPERATOR_UNAUTHORIZED:Sign in/);
  } finally {
    await drop();
  }
});
