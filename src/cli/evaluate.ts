/**
 * `npm run --silent evaluate -- <faces|documents> <labels.tsv>`
 * Runs the same engine the API uses on every labelled row and prints one JSON line per image,
 * then a summary line. Each kind lives in its own module.
 */
const [kind, labels, ...more] = process.argv.slice(2);
const modules: Record<string, string> = {
  faces: './evaluate-faces.js',
  'face-pairs': './evaluate-face-pairs.js',
  liveness: './evaluate-liveness.js',
  documents: './evaluate-documents.js',
};
const target = kind ? modules[kind] : undefined;
if (!target || !labels) {
  process.stderr.write('usage: npm run --silent evaluate -- <faces|documents|face-pairs|liveness> <labels.tsv> [options]\n');
  process.exit(2);
}
const mod = (await import(target)) as { evaluate: (labelsPath: string, ...more: string[]) => Promise<void> };
await mod.evaluate(labels, ...more);
