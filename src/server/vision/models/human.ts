/**
 * Loads @vladmandic/human on the tfjs WASM backend from files inside node_modules, once.
 *
 * Node has no file:// fetch, so a tfjs IO load router reads model.json and its weight shards
 * from disk. human logs "fetch failed" and carries on without a model when loading fails; we
 * check every model we asked for afterwards and throw an Error naming the missing one, so
 * start-up fails loudly instead of answering FACE_NOT_FOUND to every request.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';

const require = createRequire(import.meta.url);

/**
 * The models the face engine needs from human, by the name human gives them in
 * `human.models.models`. Not loaded: human's descriptor (faceres; the embedding comes from
 * face-api's recognition net, docs/adr/0005) and its anti-spoof and liveness models (they did not
 * separate recaptured photos; liveness comes from MiniFAS, face/liveness.ts).
 */
export const HUMAN_FACE_MODELS = ['blazeface', 'facemesh', 'iris', 'handtrack', 'handskeleton'] as const;

export interface HumanRuntime {
  human: Human;
  /** human's version, for the record of which model produced a result. */
  version: string;
  /** Folder the models were read from. */
  modelsDir: string;
}

/** Paths inside node_modules; human's package.json "exports" do not list the node-wasm build. */
function locate(): { humanJs: string; modelsDir: string; wasmDir: string } {
  const humanMain = require.resolve('@vladmandic/human'); // …/human/dist/human.node.js
  const distDir = dirname(humanMain);
  const wasmMain = require.resolve('@tensorflow/tfjs-backend-wasm');
  let wasmDir = dirname(wasmMain);
  // The backend's main may sit in dist/ or dist/<flavour>/: walk up to the folder with the .wasm.
  for (let i = 0; i < 3 && !wasmDir.endsWith('/dist'); i++) wasmDir = dirname(wasmDir);
  return { humanJs: join(distDir, 'human.node-wasm.js'), modelsDir: join(distDir, '..', 'models'), wasmDir };
}

/** The models folder inside the installed @vladmandic/human package. */
export function humanModelsDir(): string {
  return locate().modelsDir;
}

/** Config for still photos: no frame caching, no skipping, every face in the image. */
function humanConfig(modelsDir: string, wasmDir: string, maxFaces: number): Partial<Config> {
  return {
    backend: 'wasm',
    wasmPath: `${wasmDir}/`,
    modelBasePath: `${pathToFileURL(modelsDir).href}/`,
    debug: false,
    async: false,
    warmup: 'none',
    // Caching reuses the previous frame's faces when two inputs look alike: wrong for an API.
    cacheSensitivity: 0,
    skipAllowed: false,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json',
        rotation: true,
        maxDetected: maxFaces,
        // Low on purpose: the engine applies its own documented score floor and keeps
        // low-score candidates as evidence (e.g. for counting background faces).
        minConfidence: 0.2,
        iouThreshold: 0.1,
        return: false,
        skipFrames: 0,
        skipTime: 0,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json', keepInvalid: false },
      attention: { enabled: false },
      iris: { enabled: true, modelPath: 'iris.json', skipFrames: 0, skipTime: 0 },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
    },
    body: { enabled: false },
    // Hands are occlusion evidence (a hand over the mouth or eyes); callers switch them per call.
    hand: {
      enabled: true,
      rotation: false,
      maxDetected: 4,
      minConfidence: 0.3,
      iouThreshold: 0.2,
      skipFrames: 0,
      skipTime: 0,
      landmarks: true, // human returns no hand without its skeleton pass
      detector: { modelPath: 'handtrack.json' },
      skeleton: { modelPath: 'handlandmark-lite.json' },
    },
    object: { enabled: false },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  } as Partial<Config>;
}

interface WeightsGroup {
  paths: string[];
  weights: unknown[];
}

/** A tfjs IO handler that reads a graph model and its shards from the local disk. */
function registerFileLoader(human: Human): void {
  const tf = human.tf as unknown as {
    io: {
      registerLoadRouter: (r: (url: string | string[]) => unknown) => void;
      getModelArtifactsForJSON: (json: unknown, load: (m: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>) => Promise<unknown>;
    };
  };
  tf.io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const path = fileURLToPath(url);
    return {
      load: async () => {
        const json = JSON.parse(await readFile(path, 'utf8')) as unknown;
        const dir = dirname(path);
        return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
          const specs: unknown[] = [];
          const shards: Buffer[] = [];
          for (const group of manifest) {
            specs.push(...group.weights);
            for (const p of group.paths) shards.push(await readFile(join(dir, p)));
          }
          const all = Buffer.concat(shards);
          return [specs, all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer];
        });
      },
    };
  });
}

let loading: Promise<HumanRuntime> | null = null;

/** Load human and every face model once; later calls share the same promise. Throws on failure. */
export function loadHuman(maxFaces = 10): Promise<HumanRuntime> {
  if (!loading) {
    loading = loadHumanUncached({ maxFaces }).catch((err: unknown) => {
      loading = null; // let a later call retry instead of caching the failure forever
      throw err;
    });
  }
  return loading;
}

/** A graph model that failed to load still exists; reading its inputs then throws. */
function isLoaded(model: { inputs?: unknown } | null | undefined): boolean {
  try {
    return Array.isArray(model?.inputs) && model.inputs.length > 0;
  } catch {
    return false;
  }
}

/**
 * A fresh human with every face model, not shared. `modelsDir` overrides the package's models
 * folder (tests use it to prove that a missing model stops start-up). Note: human keeps each
 * loaded model in module state, so a model loaded once in a process is reused by later instances.
 */
export async function loadHumanUncached(options: { maxFaces?: number; modelsDir?: string } = {}): Promise<HumanRuntime> {
  const located = locate();
  const { humanJs, wasmDir } = located;
  const modelsDir = options.modelsDir ?? located.modelsDir;
  const maxFaces = options.maxFaces ?? 10;
  const mod = require(humanJs) as { Human: new (cfg: Partial<Config>) => Human };
  const human = new mod.Human(humanConfig(modelsDir, wasmDir, maxFaces));
  registerFileLoader(human);
  let loadError: unknown = null;
  try {
    await human.load();
  } catch (err) {
    // human can throw a bare TypeError after a failed fetch (it reads the missing model's
    // inputs); name the model instead when we can.
    loadError = err;
  }
  const loaded = (human.models as unknown as { models: Record<string, { inputs?: unknown } | null> }).models;
  const missing = HUMAN_FACE_MODELS.filter((name) => !isLoaded(loaded[name]));
  if (missing.length > 0) throw new Error(`face model "${missing[0]}" did not load from ${modelsDir} (missing: ${missing.join(', ')})`);
  if (loadError) throw new Error(`face models failed to load from ${modelsDir}: ${(loadError as Error).message}`);
  const backend = (human.tf as unknown as { getBackend: () => string }).getBackend();
  if (backend !== 'wasm') throw new Error(`face models: tfjs backend is "${backend}", expected "wasm" (wasm files in ${wasmDir})`);
  await warmUp(human);
  return { human, version: human.version, modelsDir };
}

/**
 * Run every model once on zeros of its input shape: the WASM kernels are set up on first use,
 * which would otherwise make the first requests several times slower than the rest. (A blank
 * image is not enough: the mesh, iris, descriptor and spoof models only run once a face is found.)
 */
async function warmUp(human: Human): Promise<void> {
  type Tensor = { dispose: () => void };
  type Graph = {
    inputs: Array<{ shape?: number[]; dtype?: string }>;
    execute: (t: Tensor) => Tensor | Tensor[];
    executeAsync: (t: Tensor) => Promise<Tensor | Tensor[]>;
  };
  const tf = human.tf as unknown as { zeros: (shape: number[], dtype?: string) => Tensor; dispose: (t: unknown) => void };
  const loaded = (human.models as unknown as { models: Record<string, Graph | null> }).models;
  for (const name of HUMAN_FACE_MODELS) {
    const model = loaded[name];
    const spec = model?.inputs[0];
    const shape = spec?.shape?.map((d) => (d > 0 ? d : 1));
    if (!model || !shape) continue;
    const input = tf.zeros(shape, spec?.dtype ?? 'float32');
    try {
      let out: Tensor | Tensor[];
      try {
        out = model.execute(input);
      } catch {
        out = await model.executeAsync(input); // models with control flow (non-max suppression)
      }
      tf.dispose(out);
    } catch (err) {
      throw new Error(`face model "${name}" failed its warm-up run: ${(err as Error).message}`);
    } finally {
      input.dispose();
    }
  }
}
