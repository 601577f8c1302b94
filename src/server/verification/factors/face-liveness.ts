/**
 * Face liveness (passive, advisory). The face engine runs human's antispoof and liveness models,
 * but we have not measured them on presentation attacks (they did not separate recaptures in the
 * face engine's trial), so the factor is UNAVAILABLE and carries the raw model outputs only as
 * evidence, never as a score that could be mistaken for a verdict.
 */
import type { Factor, VerificationInput } from '../types.js';

export function faceLivenessFactor(input: VerificationInput): Factor {
  const name = 'faceLiveness' as const;
  if (!input.steps.includes('face')) return { name, level: 'UNAVAILABLE', score: null, evidence: { reason: 'STEP_NOT_IN_SESSION' } };
  const m = input.face?.measurements as { mainFace?: number | null; faces?: Array<{ antispoof?: unknown; liveness?: unknown }> } | undefined;
  const main = m && typeof m.mainFace === 'number' ? m.faces?.[m.mainFace] : undefined;
  return {
    name,
    level: 'UNAVAILABLE',
    score: null,
    evidence: {
      reason: 'NOT_MEASURED',
      unvalidatedModelOutputs: main ? { antispoof: main.antispoof ?? null, liveness: main.liveness ?? null } : null,
    },
  };
}
