/** The wire contract's routes (docs/spec.md): thin — schema, one use case, shape the reply. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { completeSession } from '../../session/complete-session.js';
import { initializeSession } from '../../session/initialize-session.js';
import { submitDocument } from '../../session/submit-document.js';
import { submitFace } from '../../session/submit-face.js';
import type { TenantAuthenticator } from '../../session/authenticate-tenant.js';
import type { SessionDeps } from '../../session/deps.js';
import type { ImageDownloader } from '../../net/download-image.js';
import { assertCaptureAllowed } from '../../session/captures.js';
import { requireSession, requireTenant } from '../auth.js';
import type { CaptureAdmission } from '../capture-admission.js';
import { installCaptureBodyParser } from '../capture-body.js';
import { createCpuTurns } from '../cpu-turns.js';
import { readImageInput } from '../image-input.js';
import {
  CompleteReply,
  DocumentReply,
  FaceReply,
  ImageBody,
  InitializeBody,
  InitializeReply,
  withErrors,
} from '../schemas.js';

export interface EnrolmentRouteDeps {
  session: SessionDeps;
  authenticateTenant: TenantAuthenticator;
  download: ImageDownloader;
  /** Largest decoded image, bytes. */
  maxImageBytes: number;
  /** Largest capture body, bytes (BODY_LIMIT_BYTES). */
  captureBodyLimitBytes: number;
  admission: CaptureAdmission;
}

export async function enrolmentRoutes(app: FastifyInstance, deps: EnrolmentRouteDeps) {
  app.register(async (basic) => {
    basic.addHook('onRequest', requireTenant(deps.authenticateTenant));
    basic.post<{ Body: InitializeBody }>(
      '/api/v1/enrolment/initialize',
      {
        schema: {
          summary: 'Open a verification session (tenant Basic auth)',
          operationId: 'initializeSession',
          tags: ['enrolment'],
          security: [{ basic: [] }],
          body: InitializeBody,
          response: withErrors({ 200: InitializeReply }),
        },
      },
      async (request) => ({ hasError: false, ...(await initializeSession(deps.session, request.tenant!, request.body, request.ip)) }),
    );
  });

  app.register(async (bearer) => {
    bearer.addHook('onRequest', requireSession(deps.session));
    const turns = createCpuTurns();
    installCaptureBodyParser(bearer, turns);
    const captureRoute = (operationId: string, summary: string, ok: object) => ({
      schema: {
        summary,
        operationId,
        tags: ['enrolment'],
        security: [{ bearer: [] }],
        body: ImageBody,
        response: withErrors({ 200: ok as never }),
      },
      bodyLimit: deps.captureBodyLimitBytes,
      // After requireSession (registered first): only a valid token takes a slot, before the body is read.
      onRequest: deps.admission.admit,
    });
    /** The image of a capture request: the session's state first (no download for a completed session). */
    const imageOf = async (request: FastifyRequest<{ Body: ImageBody }>) => {
      assertCaptureAllowed(deps.session, request.enrolmentSession!);
      const image = await readImageInput(request.body.imageBase, deps.download, deps.maxImageBytes, turns);
      // The body's base64 text is no longer needed while the image waits for the engines.
      request.body.imageBase = '';
      return image;
    };
    bearer.post<{ Body: ImageBody }>(
      '/api/v1/enrolment/document',
      captureRoute('submitDocument', 'Submit one page of the identity document', DocumentReply),
      async (request) => ({ hasError: false, ...(await submitDocument(deps.session, request.enrolmentSession!, await imageOf(request))) }),
    );
    bearer.post<{ Body: ImageBody }>(
      '/api/v1/enrolment/face',
      captureRoute('submitFace', "Submit the applicant's face photo", FaceReply),
      async (request) => {
        await submitFace(deps.session, request.enrolmentSession!, await imageOf(request));
        return { hasError: false };
      },
    );
    bearer.post(
      '/api/v1/enrolment/complete',
      {
        schema: {
          summary: 'Finish the session; answers the return URL',
          operationId: 'completeSession',
          tags: ['enrolment'],
          security: [{ bearer: [] }],
          response: withErrors({ 200: CompleteReply }),
        },
      },
      async (request) => ({ hasError: false, ...(await completeSession(deps.session, request.enrolmentSession!)) }),
    );
  });
}
