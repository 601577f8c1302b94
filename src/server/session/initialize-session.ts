import { CodedError } from '../../shared/errors.js';
import type { SessionDeps } from './deps.js';
import { rateLimited, windowAt } from './rate-limits.js';
import { isReturnUrlAllowed } from './tenant-settings.js';
import type { ApplicantForm, Session, Tenant } from './types.js';

export interface InitializeInput {
  sessionId?: string;
  returnUrl: string;
  externalId?: string;
  applicantForm?: ApplicantForm;
  skipIntegrityCheck?: boolean;
  /** One of the tenant's theme names (THEME_NOT_FOUND otherwise). */
  webEnrolmentTheme?: string;
}

export interface InitializeOutput {
  accessToken: string;
  sessionId: string;
  webEnrolmentUrl: string;
}

/**
 * Opens a session for `tenant` and returns its access token and web enrolment URL. `client` (the
 * caller's address) and the tenant count against the session-creation limit (RATE_LIMITED).
 */
export async function initializeSession(deps: SessionDeps, tenant: Tenant, input: InitializeInput, client?: string): Promise<InitializeOutput> {
  if (!isReturnUrlAllowed(tenant.settings, input.returnUrl)) throw new CodedError('RETURN_URL_NOT_ALLOWED');
  const theme = input.webEnrolmentTheme;
  if (theme !== undefined && !Object.prototype.hasOwnProperty.call(tenant.settings.themes ?? {}, theme)) {
    throw new CodedError('THEME_NOT_FOUND');
  }

  const now = deps.now();
  const session: Session = {
    id: input.sessionId?.toLowerCase() ?? deps.newId(),
    tenantId: tenant.id,
    externalId: input.externalId ?? null,
    returnUrl: input.returnUrl,
    applicantForm: input.applicantForm ?? null,
    skipIntegrityCheck: input.skipIntegrityCheck ?? false,
    steps: tenant.settings.steps,
    status: 'CREATED',
    documentState: 'NONE',
    frontCaptureId: null,
    backCaptureId: null,
    faceCaptureId: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    completedAt: null,
    tokenGeneration: deps.newId(),
    webTheme: theme ?? null,
  };
  const rule = deps.sessionLimit?.rule;
  if (rule && rule.limit > 0) {
    // Counted and inserted in one transaction (one commit), shared by every node.
    const w = windowAt(rule, now);
    const keys = [`sessions:tenant:${tenant.id}`, ...(client ? [`sessions:addr:${client}`] : [])];
    const r = await deps.store.sessions.insertCounted(session, { keys, windowStart: w.start, max: rule.limit });
    deps.sessionLimit!.limiter?.maybePrune(rule);
    if (r === 'LIMITED') throw rateLimited(w.retryAfterS);
    if (r === 'TAKEN') throw new CodedError('SESSION_ID_TAKEN');
  } else if (!(await deps.store.sessions.insert(session))) {
    throw new CodedError('SESSION_ID_TAKEN');
  }
  const accessToken = await deps.tokens.sign(
    { sessionId: session.id, tenantId: tenant.id, generation: session.tokenGeneration ?? null },
    tenant.settings.tokenLifetimeS ?? deps.tokenLifetimeS,
  );
  return {
    accessToken,
    sessionId: session.id,
    webEnrolmentUrl: `${deps.publicBaseUrl}/web-enrolment/?token=${encodeURIComponent(accessToken)}`,
  };
}
