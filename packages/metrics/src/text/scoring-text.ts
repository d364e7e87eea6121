import { cleanReportMimicCxr } from './clean-report.js';
import { PY_WHITESPACE_CLASS, pyReplace } from './python-str.js';

/**
 * PromptMRG's `my_pre_caption` (also DDaTR, REVTAF and the CAME-Grad repository): the MIMIC-CXR
 * cleaner for every dataset, then the first `maxWords` elements of a *single-space* split, so the
 * empty strings left by double spaces count towards the limit and double spaces survive.
 */
export function myPreCaption(report: string, maxWords = 100): string {
  const caption = cleanReportMimicCxr(report);
  const words = caption.split(' ');
  return words.length > maxWords ? words.slice(0, maxWords).join(' ') : caption;
}

/**
 * The CAME-Grad repository's hypothesis rewrite before BLEU, METEOR and ROUGE-L:
 * `(h + ' ').replace('. ', ' . ').replace(' - ', '-')`. The appended space is deliberately not
 * stripped: ROUGE-L's single-space split then sees a trailing empty token (part of the protocol).
 */
export function camegradHypothesisRewrite(h: string): string {
  return pyReplace(pyReplace(`${h} `, '. ', ' . '), ' - ', '-');
}

const BLIP_PUNCT = /[.!"()*#:;~]/g;
// Python's `\s` on str patterns is Unicode whitespace, including U+001C–U+001F and U+0085
// (built from a string so the control characters need no regex literal).
const BLIP_RUNS = new RegExp(`[${PY_WHITESPACE_CLASS}]{2,}`, 'g');

/**
 * BLIP's `pre_caption` as DCL uses it: lowercase; each of `. ! " ( ) * # : ; ~` → space; runs of
 * two or more whitespace characters → one space; strip (BLIP does `rstrip('\n')` then
 * `strip(' ')`, reproduced here); keep the first `maxWords` elements of `split(' ')`.
 */
export function blipPreCaption(text: string, maxWords = 90): string {
  let caption = text.toLowerCase().replace(BLIP_PUNCT, ' ').replace(BLIP_RUNS, ' ');
  caption = caption.replace(/\n+$/, '').replace(/^ +/, '').replace(/ +$/, '');
  const words = caption.split(' ');
  return words.length > maxWords ? words.slice(0, maxWords).join(' ') : caption;
}
