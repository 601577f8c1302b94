/**
 * MRZ reader: `readMrz` finds and reads the machine-readable zone anywhere in a photo at any
 * rotation; `parseMrz` parses and verifies lines already read. See docs/vision-mrz.md.
 */
export { readMrz, type MrzReading, type ReadMrzHint } from './read.js';
export { parseMrz, isPlausibleDate, type ParsedMrz, type MrzFields, type CheckVerdict, type MrzCorrection } from './parse.js';
export { checkDigit, verifies } from './check-digit.js';
export { isKnownStateCode, MRZ_STATE_CODES } from './countries.js';
export { formatOf, LAYOUTS, type MrzFormat, type Layout } from './layout.js';
export { MRZ_ALPHABET, MRZ_DEFAULTS } from './config.js';
