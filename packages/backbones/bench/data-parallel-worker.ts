/**
 * Worker of the data-parallel bench: a full replica of the reference model on wasm with the kernel
 * pack, training on its share (rows rank·B/R … (rank+1)·B/R) of the fixed reference batch.
 */
import { workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { joinReplicaGroup } from '../src/engine/data-parallel/replica.js';
import type { ReplicaSpec } from '../src/engine/data-parallel/replica.js';
import { serveReplicaSteps } from '../src/engine/data-parallel/serve.js';
import { createReferenceModel, REFERENCE_CONFIG, referenceBatch } from '../src/engine/reference-model.js';
import { selectBackend } from '../src/engine/select-backend.js';

const { replica } = workerData as { replica: ReplicaSpec };
await selectBackend('wasm');
const full = referenceBatch(REFERENCE_CONFIG);
const share = REFERENCE_CONFIG.batch / replica.replicas;
const from = replica.rank * share;
const half = {
  images: tf.slice(full.images, [from, 0, 0, 0], [share, -1, -1, -1]),
  tokens: tf.slice(full.tokens, [from, 0], [share, -1]),
  targets: tf.slice(full.targets, [from, 0], [share, -1]),
};
const model = createReferenceModel(REFERENCE_CONFIG, 1, `dp${replica.rank}`);
serveReplicaSteps(joinReplicaGroup(replica, model.variables), () => model.loss(half));
