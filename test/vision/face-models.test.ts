/**
 * Start-up fails loudly: a model that does not load stops start-up with its name. (human keeps
 * loaded models in module state and cannot recover in the same process, so this file loads
 * nothing else; the normal load is exercised by face-engine.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { humanModelsDir, loadHumanUncached } from '../../src/server/vision/models/human.js';

test('a missing model file stops start-up with an error naming the model', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'face-models-'));
  try {
    // Every model except the iris one.
    for (const f of await readdir(humanModelsDir())) {
      if (!f.startsWith('iris.')) await copyFile(join(humanModelsDir(), f), join(dir, f));
    }
    await assert.rejects(loadHumanUncached({ modelsDir: dir }), /face model "iris" did not load/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
