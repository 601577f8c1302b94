import { CodedError } from '../../shared/errors.js';
import type { Store } from '../store/index.js';
import { createVerificationCache, dummyPasswordHash } from './credentials.js';
import type { Tenant } from './types.js';

export type TenantAuthenticator = (username: string, password: string) => Promise<Tenant>;

/** Basic-auth credentials → an enabled tenant, or TENANT_UNAUTHORIZED (same cost either way). */
export function createTenantAuthenticator(store: Store): TenantAuthenticator {
  const cache = createVerificationCache();
  return async (username, password) => {
    const tenant = await store.tenants.getByUsername(username);
    const ok = await cache.verify(password, tenant?.passwordHash ?? (await dummyPasswordHash()));
    if (!tenant || !ok || tenant.disabledAt !== null) throw new CodedError('TENANT_UNAUTHORIZED');
    return tenant;
  };
}
