import { VERIFICATION_STATUSES, type Decision } from '../verification/types.js';

export const STATUSES_FOR_FILTER: readonly string[] = VERIFICATION_STATUSES;
export const DECISIONS_FOR_FILTER: readonly Decision[] = ['HIGH', 'MEDIUM', 'LOW'];
