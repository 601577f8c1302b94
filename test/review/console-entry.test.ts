/** The console's entry: `/console/` and `/console` lead to the console (sign-in when signed out), never a JSON 404. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestService } from '../helpers/service.js';

test('/console/ and /console redirect to the sessions list, which asks a signed-out visitor to sign in', async () => {
  const svc = await startTestService();
  try {
    for (const url of ['/console/', '/console']) {
      const r = await svc.app.inject({ url });
      assert.equal(r.statusCode, 303, url);
      assert.equal(r.headers.location, '/console/sessions', url);
    }
    const list = await svc.app.inject({ url: '/console/sessions' });
    assert.equal(list.statusCode, 303);
    assert.equal(list.headers.location, '/console/login');
    const login = await svc.app.inject({ url: '/console/login' });
    assert.equal(login.statusCode, 200);
    assert.match(String(login.headers['content-type']), /^text\/html/);
    assert.match(login.body, /<form[^>]*action="\/console\/login"/);
    // Control: an unknown console path is still a 404 (the redirect is for the entry only).
    assert.equal((await svc.app.inject({ url: '/console/nope' })).statusCode, 404);
  } finally {
    await svc.close();
  }
});
