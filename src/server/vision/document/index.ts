/**
 * The document engine's public surface. The service builds one engine at start-up:
 *   const engine = createDocumentEngine(await loadDocumentModels());
 *   const result = await engine.analyzeDocument(bytes); // contract.ts DocumentResult
 */
export { createDocumentEngine, loadDocumentModels, type DocumentDeps, type DocumentAnalysis } from './engine.js';
export { DEFAULT_DOCUMENT_CONFIG, type DocumentConfig } from './config.js';
export { classify, mrzIdentity, type Classification, type Evidence } from './classify.js';
export { MRZ_RULES, HEADER_RULES, COUNTRY_NAMES, SUBDIVISION_NAMES, TYPE_TRAITS, MRZ_PAGE_GEOMETRY } from './families.js';
