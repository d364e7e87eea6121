/**
 * softmax(x / temperature), shifted by max(x) so that large logits cannot overflow. DWA, RLW,
 * FAMO and GradNorm's LibMTL variant all map unconstrained numbers to positive weights with it.
 */
export function softmax(x: readonly number[], temperature = 1): number[] {
  let max = -Infinity;
  for (const v of x) max = Math.max(max, v / temperature);
  const e = x.map((v) => Math.exp(v / temperature - max));
  let sum = 0;
  for (const v of e) sum += v;
  return e.map((v) => v / sum);
}

/** (J_softmax(ξ))ᵀ u = z ⊙ (u − zᵀu): the gradient of uᵀ softmax(ξ) with respect to ξ. */
export function softmaxVjp(z: readonly number[], u: readonly number[]): number[] {
  let zu = 0;
  for (let i = 0; i < z.length; i++) zu += z[i]! * u[i]!;
  return z.map((zi, i) => zi * (u[i]! - zu));
}
