/**
 * `npm run --silent evaluate -- <faces|documents> <labels.tsv>`
 * Runs the same engine the API uses on every labelled row and prints one JSON line per image,
 * then a summary line. Each kind lives in its own module.
 */
const [kind, labels] = process.argv.slice(2);
const modules: Record<string, string> = {
  faces: './evaluate-faces.js',
  'face-pairs': './evaluate-face-pairs.js',
  documents: './evaluate-documents.js',
};
const target = kind ? modules[kind] : undefined;
if (!target || !labels) {
  process.stderr.write('usage: npm run --silent evaluate -- <faces|documents> <labels.tsv>\n');
  process.exit(2);
}
const mod = (await import(target)) as { evaluate: (labelsPath: string) => Promise<void> };
await mod.evaluate(labels);
