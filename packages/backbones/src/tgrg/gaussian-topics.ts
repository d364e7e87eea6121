import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from '../blocks/stop-gradient';
import type { ParameterStore } from '../params/parameter-store';
import { TOPICS } from './config';

/**
 * TGRG's Gaussian topic model: topic k is `N(μ_k, diag σ_k²)` over the d-dimensional global
 * vector, with a prior π. `μ` (TGRG: BERT embeddings of each topic's report sentences through a
 * small encoder) is a learned table here; `σ` starts at 1, as in TGRG.
 */
export class GaussianTopics {
  readonly mu: tf.Variable;
  readonly sigma: tf.Variable;

  /** Creates `<prefix>.mu` `[28, d]` (N(0, 1)) and `<prefix>.sigma` `[28, d]` (ones). */
  constructor(store: ParameterStore, prefix: string, readonly d: number) {
    this.mu = store.add(`${prefix}.mu`, [TOPICS, d], { kind: 'normal', std: 1 });
    this.sigma = store.add(`${prefix}.sigma`, [TOPICS, d], { kind: 'ones' });
  }

  /**
   * Unnormalised log posterior `[B, 28]` of each topic for global vectors θ `[B, d]`, in log space
   * (TGRG multiplies 512 likelihood factors and exponentiates, which under- or overflows):
   * `min(−½ Σ_i log(σ_ki² + 1e-25), 50) − ½ Σ_i (θ_i − μ_ki)² / σ_ki² / √d + power · log π_k`.
   * The clip at 50 and the 1/√d temperature are TGRG's.
   *
   * @param logPrior `[28]` log π
   * @param power 1.5 for TGRG's "adjusted" training posteriors, 1 for topic selection
   * @param detachMu the image posterior does not train μ (TGRG detaches the topic features)
   */
  logits(theta: tf.Tensor2D, logPrior: tf.Tensor1D, power: number, detachMu: boolean): tf.Tensor2D {
    const [b, d] = theta.shape;
    const mu = detachMu ? stopGradient(this.mu as tf.Tensor2D) : (this.mu as tf.Tensor2D);
    const variance = tf.square(this.sigma);
    const logDet = tf.minimum(tf.mul(-0.5, tf.sum(tf.log(tf.add(variance, 1e-25)), 1)), 50);
    const residual = tf.sub(tf.reshape(theta, [b, 1, d]), tf.reshape(mu, [1, TOPICS, d]));
    const mahalanobis = tf.div(tf.sum(tf.div(tf.square(residual), tf.reshape(variance, [1, TOPICS, d])), 2), Math.sqrt(d));
    return tf.add(tf.sub(logDet, tf.mul(0.5, mahalanobis)), tf.mul(power, logPrior)) as tf.Tensor2D;
  }
}

/**
 * TGRG's topic classification loss for one posterior: `−(1/B) Σ_b Σ_k y_bk log p_bk` with
 * `p = softmax(logits)` (multi-hot targets, not normalised). TGRG takes `log(p + 1e-25)`; the
 * log-softmax is its exact log-space form.
 */
export function topicCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.div(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)))), logits.shape[0]) as tf.Scalar;
}

/**
 * TGRG's `KL(image ‖ text)` between the image Gaussian `N(m, diag(0.1 σ_img)²)` and the detached
 * text mean with `σ_txt`, in log space (TGRG multiplies 512 ratios σ_txt/σ_img into `det`):
 * `½ [ mean_b Σ_i (t_bi − m_bi)² / (0.1 σ_img,i)² + Σ_i (σ_txt,i / σ_img,i)² − 2 Σ_i log|σ_txt,i / (σ_img,i + 1e-25)| ]`.
 * As in TGRG it omits the constant −d of the textbook Gaussian KL, so it is d/2 at σ = 1, t = m.
 */
export function gaussianKl(imageMean: tf.Tensor2D, textMean: tf.Tensor2D, imageSigma: tf.Tensor1D, textSigma: tf.Tensor1D, noiseScale: number): tf.Scalar {
  const b = imageMean.shape[0];
  const residual = tf.sub(stopGradient(textMean), imageMean);
  const quad = tf.div(tf.sum(tf.div(tf.square(residual), tf.square(tf.mul(noiseScale, imageSigma)))), b);
  const ratio = tf.sum(tf.square(tf.div(textSigma, imageSigma)));
  const logAbs = (x: tf.Tensor): tf.Tensor => tf.mul(0.5, tf.log(tf.square(x)));
  const logDet = tf.sum(tf.sub(logAbs(textSigma), logAbs(tf.add(imageSigma, 1e-25))));
  return tf.mul(0.5, tf.add(quad, tf.sub(ratio, tf.mul(2, logDet)))) as tf.Scalar;
}

/**
 * TGRG's perturbation `θ + scale · σ ⊙ mean(ε₁ … ε_k)`, ε ~ N(0, I), seeded.
 */
export function perturb(theta: tf.Tensor2D, sigma: tf.Tensor1D, scale: number, samples: number, seed: number): tf.Tensor2D {
  const [b, d] = theta.shape;
  const eps = tf.mean(tf.randomNormal([b, samples, d], 0, 1, 'float32', seed), 1);
  return tf.add(theta, tf.mul(tf.mul(scale, sigma), eps)) as tf.Tensor2D;
}
