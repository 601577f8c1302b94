/**
 * The verification part's Fastify plugin, registered at app.ts's marked line: the review console
 * (routes.ts) and the background jobs (webhook worker, maintenance), started when the app is
 * ready and stopped (waiting for the pass in flight) when it closes.
 */
import type { FastifyInstance } from 'fastify';
import type { VerificationServices } from '../verification/services.js';
import { reviewRoutes } from './routes.js';

export async function verificationPlugin(app: FastifyInstance, opts: { verification: VerificationServices; secureCookie: boolean }) {
  await app.register(reviewRoutes, { verification: opts.verification, secureCookie: opts.secureCookie });
  app.addHook('onReady', async () => opts.verification.startJobs(app.log));
  app.addHook('onClose', async () => opts.verification.stopJobs());
}
