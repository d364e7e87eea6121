import * as tf from '@tensorflow/tfjs-core';
import { Linear } from '../blocks/linear';
import { stopGradient } from '../blocks/stop-gradient';
import { RetrievalPromptModel } from '../promptmrg/retrieval-prompt-model';
import { finalSide, type RevtafConfig } from './config';
import { RetrievalEncoder } from './retrieval-encoder';
import { RetrievalQueue } from './retrieval-queue';
import { OptimalTransportAttention } from './sinkhorn-attention';

/** Parameter-name prefixes by role (spec §2.8 "Parameters"). */
export const REVTAF_PREFIXES = Object.freeze({
  /** ResNet (lm, cls) and the two OT text projections (lm, align). */
  shared: ['visual', 'otTxtProj1', 'otTxtProj2'],
  lm: ['textDecoder', 'ot'],
  cls: ['memory', 'cls.head'],
  rank: ['hnn'],
  frozen: ['cls.basePriors', 'queue'],
} as const);

/**
 * The 14 CheXpert observations as phrases: the region-level text entities of this test-scale
 * REVTAF (MedKLIP's 75 entity embeddings in the original), embedded by the report bank.
 */
export const OBSERVATION_PHRASES: readonly string[] = Object.freeze([
  'no finding', 'enlarged cardiomediastinum', 'cardiomegaly', 'lung lesion', 'lung opacity', 'edema', 'consolidation',
  'pneumonia', 'atelectasis', 'pneumothorax', 'pleural effusion', 'pleural other', 'fracture', 'support devices',
]);

/** Output of {@link RevtafModel.fuse}. */
export interface FusedMemory {
  /** Decoder memory input `[B, N, 2·otDim]`: region-enhanced and sentence-enhanced tokens. */
  readonly tokens: tf.Tensor3D;
  readonly regionAttention: tf.Tensor3D;
  readonly sentenceAttention: tf.Tensor3D;
  /** `ot_txt_proj1(region_txt)` `[B, R, otDim]`. */
  readonly regionText: tf.Tensor3D;
  /** `ot_txt_proj2(global_txt)` `[B, S, otDim]`. */
  readonly sentences: tf.Tensor3D;
}

/**
 * REVTAF (Zhou, Liang et al., ICCV 2025) at test scale: PromptMRG's pieces (ResNet stand-in,
 * retrieval memory + logit-adjusted 14 × 4 classifier whose states prompt the decoder) plus the
 * Learnable Retrieval Enhancer (a hyperbolic encoder of the region summary, a queue of training
 * embeddings) and the OT cross-attention fusion of image tokens with region and sentence
 * embeddings.
 */
export class RevtafModel extends RetrievalPromptModel<RevtafConfig> {
  readonly otImgProj: Linear;
  readonly otTxtProj1: Linear;
  readonly otTxtProj2: Linear;
  readonly otRegion: OptimalTransportAttention;
  readonly otSentence: OptimalTransportAttention;
  readonly hnn: RetrievalEncoder;
  readonly queue: RetrievalQueue;

  /** Creates every variable from `config.seed`. */
  constructor(config: RevtafConfig, vocabSize: number) {
    super(config, vocabSize, { stages: config.stages, decoderMemoryDim: 2 * config.otDim });
    const c = config;
    const width = this.visual.outDim;
    this.otImgProj = new Linear(this.store, 'ot.imgProj', width, c.otDim);
    this.otTxtProj1 = new Linear(this.store, 'otTxtProj1', c.retrievalDim, c.otDim);
    this.otTxtProj2 = new Linear(this.store, 'otTxtProj2', c.retrievalDim, c.otDim);
    const sinkhorn = { iterations: c.sinkhornIterations, epsilon: c.sinkhornEpsilon };
    this.otRegion = new OptimalTransportAttention(this.store, 'ot.region', c.otDim, sinkhorn);
    this.otSentence = new OptimalTransportAttention(this.store, 'ot.sentence', c.otDim, sinkhorn);
    this.hnn = new RetrievalEncoder(this.store, 'hnn', { inDim: c.regionGrid * c.regionGrid, dim: c.hnnDim, layers: c.hnnLayers, geometry: c.geometry, curvature: c.curvature });
    this.queue = new RetrievalQueue(this.store, 'queue', c.queueSize, c.hnnDim, c.maxSentences, c.retrievalDim);
  }

  /**
   * The region summary standing in for MedKLIP's region scores: the channel-mean activation of
   * the final map average-pooled to `regionGrid²` regions, divided by its maximum. It is an
   * external input in REVTAF, so no gradient flows back into the CNN (`rank` stays isolated).
   */
  regionSummary(tokens: tf.Tensor3D): tf.Tensor2D {
    const b = tokens.shape[0];
    const side = finalSide(this.config);
    const grid = this.config.regionGrid;
    const maps = tf.reshape(tf.mean(stopGradient(tokens), 2), [b, side, side, 1]) as tf.Tensor4D;
    const pooled = tf.reshape(tf.avgPool(maps, side / grid, side / grid, 'valid'), [b, grid * grid]);
    return tf.div(pooled, tf.maximum(tf.max(pooled, 1, true), 1e-6)) as tf.Tensor2D;
  }

  /**
   * OT fusion of the image tokens with the region entities `[R, retrievalDim]` and the retrieved
   * sentences `[B, S, retrievalDim]` (mask `[B, S]`).
   */
  fuse(tokens: tf.Tensor3D, regionEntities: tf.Tensor2D, sentences: tf.Tensor3D, mask: tf.Tensor2D): FusedMemory {
    const b = tokens.shape[0];
    const image = this.otImgProj.apply(tokens);
    const regionText = tf.tile(tf.expandDims(this.otTxtProj1.apply(regionEntities), 0), [b, 1, 1]) as tf.Tensor3D;
    const projected = this.otTxtProj2.apply(sentences);
    const region = this.otRegion.apply(image, regionText, tf.ones([b, regionEntities.shape[0]]));
    const sentence = this.otSentence.apply(image, projected, mask);
    return {
      tokens: tf.concat([region.out, sentence.out], 2) as tf.Tensor3D,
      regionAttention: region.attention,
      sentenceAttention: sentence.attention,
      regionText,
      sentences: projected,
    };
  }
}
