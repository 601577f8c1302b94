/**
 * MRZ reader: `readMrz` finds and reads the machine-readable zone anywhere in a photo at any
 * rotation; `parseMrz` parses and verifies lines already read. See docs/vision-mrz.md.
 */
export { readMrz, decodeReads, doubtfulOf, type MrzReading, type ReadMrzHint } from './read.js';
export { parseMrz, isPlausibleDate, splitNames, type ParsedMrz, type MrzFields, type CheckVerdict } from './parse.js';
export { decodeMrz, decodeLayout, DECODER_PRIORS, type DecodedMrz, type PositionDist } from './decode.js';
export { linePosteriors, poolPosteriors, type LinePosteriors } from './lattice.js';
export { checkDigit, verifies } from './check-digit.js';
export { isKnownStateCode, MRZ_STATE_CODES } from './countries.js';
export { formatOf, LAYOUTS, type MrzFormat, type Layout } from './layout.js';
export { MRZ_ALPHABET, MRZ_DEFAULTS } from './config.js';
