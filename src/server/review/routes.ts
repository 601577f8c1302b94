import type { FastifyInstance } from 'fastify';
import type { VerificationServices } from '../verification/services.js';

export async function reviewRoutes(_app: FastifyInstance, _opts: { verification: VerificationServices }) {}
