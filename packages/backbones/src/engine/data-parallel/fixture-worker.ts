/**
 * Test fixture (bundled by group.test.ts): a replica of the tiny reference model on the cpu backend,
 * training on its share of the tiny reference batch.
 */
import { workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { createReferenceModel, referenceBatch, TINY_REFERENCE_CONFIG } from '../reference-model.js';
import { selectBackend } from '../select-backend.js';
import { joinReplicaGroup } from './replica.js';
import type { ReplicaSpec } from './replica.js';
import { serveReplicaSteps } from './serve.js';

const { replica } = workerData as { replica: ReplicaSpec };
await selectBackend('cpu');
const full = referenceBatch(TINY_REFERENCE_CONFIG);
const share = TINY_REFERENCE_CONFIG.batch / replica.replicas;
const from = replica.rank * share;
const mine = {
  images: tf.slice(full.images, [from, 0, 0, 0], [share, -1, -1, -1]),
  tokens: tf.slice(full.tokens, [from, 0], [share, -1]),
  targets: tf.slice(full.targets, [from, 0], [share, -1]),
};
const model = createReferenceModel(TINY_REFERENCE_CONFIG, 1, `replica${replica.rank}`);
serveReplicaSteps(joinReplicaGroup(replica, model.variables), () => model.loss(mine));
