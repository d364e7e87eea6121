import type { MentionLabel } from './classify';
import { OBSERVATION_KEYS } from './observations';
import type { CheXpertLabel, ObservationKey } from './observations';

/** What aggregation needs of one classified mention. */
export interface LabelledMention {
  readonly key: ObservationKey;
  /** The matched text; `chf` and `heart failure` trigger the CHF rule. */
  readonly phrase: string;
  readonly label: MentionLabel;
}

/**
 * Combines several mention labels of one observation with the CheXpert labeler's precedence
 * (spec §2 step 5): {0, −1} → −1, else {0, 1} → 1, else {−1, 1} → 1, else the common value.
 * So {0, −1, 1} gives −1, a quirk of the original that is kept.
 */
export function combineLabels(labels: readonly MentionLabel[]): CheXpertLabel {
  if (labels.length === 0) return null;
  let hasPos = false;
  let hasNeg = false;
  let hasUnc = false;
  for (const l of labels) {
    if (l === 1) hasPos = true;
    else if (l === 0) hasNeg = true;
    else hasUnc = true;
  }
  if (hasNeg && hasUnc) return -1;
  if (hasNeg && hasPos) return 1;
  if (hasUnc && hasPos) return 1;
  return labels[0]!;
}

/**
 * Report-level aggregation of the CheXpert labeler (spec §2 step 5, §3.6), exact:
 * - a positive or uncertain mention of anything but Support Devices (the "other findings" of
 *   No Finding included) means a finding is present;
 * - No Finding mentions contribute nothing else;
 * - CHF rule: a positive or uncertain Edema mention matched as `chf` or `heart failure` adds −1
 *   to Cardiomegaly;
 * - No Finding is 1 when no finding is present, blank otherwise; unmentioned observations are blank.
 */
export function aggregateMentions(mentions: readonly LabelledMention[]): Record<ObservationKey, CheXpertLabel> {
  const lists = new Map<ObservationKey, MentionLabel[]>();
  const push = (key: ObservationKey, label: MentionLabel): void => {
    const list = lists.get(key);
    if (list === undefined) lists.set(key, [label]);
    else list.push(label);
  };
  let findingPresent = false;
  for (const m of mentions) {
    if (m.label !== 0 && m.key !== 'support_devices') findingPresent = true;
    if (m.key === 'no_finding') continue;
    push(m.key, m.label);
    if (m.key === 'edema' && m.label !== 0 && (m.phrase === 'chf' || m.phrase === 'heart failure')) {
      push('cardiomegaly', -1);
    }
  }
  const out = {} as Record<ObservationKey, CheXpertLabel>;
  for (const key of OBSERVATION_KEYS) out[key] = combineLabels(lists.get(key) ?? []);
  out.no_finding = findingPresent ? null : 1;
  return out;
}
