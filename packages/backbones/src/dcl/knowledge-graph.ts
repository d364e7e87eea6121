import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { MASKED } from '../blocks/multi-head-attention';
import { TransformerEncoder } from '../blocks/transformer-encoder';
import type { ForwardScope } from '../params/forward-scope';
import type { ParameterStore } from '../params/parameter-store';

/** Sizes of a {@link KnowledgeGraph}. */
export interface KnowledgeGraphOptions {
  readonly d: number;
  readonly heads: number;
  readonly dFF: number;
  readonly layers: number;
  readonly dropout: number;
  /** Nodes of the base graph. */
  readonly baseNodes: number;
  /** Retrieved-report nodes appended per study. */
  readonly retrievedNodes: number;
}

/**
 * Edges of the fixed base graph as a symmetric 0/1 adjacency (self-loops included): node 0 is the
 * root ("chest"), nodes 1 … r are regions linked to the root, and every further node is a finding
 * linked to region `1 + (i − 1 − r) mod r`, with r = ⌈(n − 1) / 3⌉ (for n = 28: 9 regions with 2
 * findings each). DCL's 28-node chest graph names organs and findings; here the node embeddings
 * are learned, so only the tree shape is kept.
 */
export function baseGraphAdjacency(n: number): Uint8Array {
  const adj = new Uint8Array(n * n);
  const link = (a: number, b: number): void => {
    adj[a * n + b] = 1;
    adj[b * n + a] = 1;
  };
  const regions = Math.max(1, Math.ceil((n - 1) / 3));
  for (let i = 0; i < n; i++) {
    link(i, i);
    if (i === 0) continue;
    if (i <= regions) link(0, i);
    else link(i, 1 + ((i - 1 - regions) % regions));
  }
  return adj;
}

/**
 * The additive attention mask `[1, 1, n + k, n + k]` of the dynamic graph: base edges, and each
 * retrieved node linked to the root, to every base region and to the other retrieved nodes (a
 * retrieved report is knowledge about the whole study, as DCL's triplets attach to the base nodes
 * they mention).
 */
export function dynamicGraphMask(baseNodes: number, retrieved: number): tf.Tensor4D {
  const n = baseNodes + retrieved;
  const base = baseGraphAdjacency(baseNodes);
  const regions = Math.max(1, Math.ceil((baseNodes - 1) / 3));
  const values = new Float32Array(n * n).fill(MASKED);
  for (let i = 0; i < baseNodes; i++) for (let j = 0; j < baseNodes; j++) if (base[i * baseNodes + j] === 1) values[i * n + j] = 0;
  for (let r = baseNodes; r < n; r++) {
    for (let j = baseNodes; j < n; j++) values[r * n + j] = 0;
    for (let j = 0; j <= Math.min(regions, baseNodes - 1); j++) {
      values[r * n + j] = 0;
      values[j * n + r] = 0;
    }
  }
  return tf.tensor4d(values, [1, 1, n, n]);
}

/**
 * DCL's dynamic knowledge graph at test scale: `baseNodes` learned node embeddings (the general
 * graph) plus, per study, `retrievedNodes` projected embeddings of retrieved training reports (the
 * specific knowledge; DCL appends their RadGraph triplets), each with a learned node-position
 * embedding, encoded by a Transformer whose attention follows the graph (DCL `TagEncoder`).
 */
export class KnowledgeGraph {
  readonly #nodes: tf.Variable;
  readonly #positions: tf.Variable;
  readonly #knowledgeProj: Linear;
  readonly #encoder: TransformerEncoder;

  /** Creates `<prefix>.{nodes,positions,knowledgeProj,encoder}`. */
  constructor(store: ParameterStore, readonly prefix: string, readonly options: KnowledgeGraphOptions) {
    const { d, baseNodes, retrievedNodes } = options;
    this.#nodes = store.add(`${prefix}.nodes`, [baseNodes, d], { kind: 'normal', std: 0.02 });
    this.#positions = store.add(`${prefix}.positions`, [baseNodes + retrievedNodes, d], { kind: 'normal', std: 0.02 });
    this.#knowledgeProj = new Linear(store, `${prefix}.knowledgeProj`, d, d);
    this.#encoder = new TransformerEncoder(store, `${prefix}.encoder`, { d, heads: options.heads, dFF: options.dFF, layers: options.layers, dropout: options.dropout, activation: 'gelu' });
  }

  /** Encoded nodes `[B, baseNodes + k, d]` from the retrieved report embeddings `[B, k, d]` (constants). */
  apply(retrieved: tf.Tensor3D, scope: ForwardScope): tf.Tensor3D {
    const [b] = retrieved.shape;
    const { baseNodes, retrievedNodes, d } = this.options;
    const base = tf.tile(tf.expandDims(this.#nodes, 0), [b, 1, 1]) as tf.Tensor3D;
    const nodes = tf.add(tf.concat([base, this.#knowledgeProj.apply(retrieved)], 1), tf.reshape(this.#positions, [1, baseNodes + retrievedNodes, d])) as tf.Tensor3D;
    return this.#encoder.apply(nodes, dynamicGraphMask(baseNodes, retrievedNodes), scope);
  }
}
