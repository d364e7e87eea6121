/**
 * Meteor 1.5's `-norm` tokeniser for English (a Moses-style tokenizer with Meteor's additions:
 * quote and dash normalisation, dashes between word characters split), followed by lowercasing.
 * Punctuation is kept (Meteor's `-norm` without `-noPunct`).
 *
 * Every regex below has Java `replaceAll` semantics, which JavaScript's global replace shares:
 * non-overlapping matches, left to right, so "a-b-c" becomes "a b-c" exactly as in Meteor.
 */
const ALPHA = 'A-Za-z\u0160\u017d\u0161\u017e\u0178\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017e\u0400-\u04ff\u0500-\u0527\ua640-\ua66e\ua67e-\ua697\u1d00-\u1d7f';
const ALNUM = `0-9${ALPHA}`;

const SEP_OTHER = new RegExp(`([^${ALNUM}\\s.'\`,\\-\u2018\u2019])`, 'g');
const MULTI_DOT = /\.(\.+)/g;
const MULTI_DOT2 = /DOTMULTI\.([^.])/g;
const COMMA1 = /([^0-9]),([^0-9])/g;
const COMMA2 = /([0-9]),([^0-9])/g;
const COMMA3 = /([^0-9]),([0-9])/g;
const QUOTE1 = /[`\u2018\u2019]/g;
const QUOTE2 = /[\u201c\u201d]|''/g;
const RM_DASH = new RegExp(`([${ALNUM}.])-([${ALNUM}])`, 'g');
const CONT1 = new RegExp(`([^${ALPHA}])'([^${ALPHA}])`, 'g');
const CONT2 = new RegExp(`([^${ALPHA}0-9])'([${ALPHA}])`, 'g');
const CONT3 = new RegExp(`([${ALPHA}])'([^${ALPHA}])`, 'g');
const CONT4 = new RegExp(`([${ALPHA}])'([${ALPHA}])`, 'g');
const CONT5 = /([0-9])'(s)/g;
const HAS_ALPHA = new RegExp(`[${ALPHA}]`);
// Java's StringTokenizer default delimiters and Meteor's "Unicode spaces" class.
const TOKEN_DELIMS = /[ \t\n\r\f]+/;
const WHITE = /[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+/g;

/**
 * Non-breaking prefixes: a word `prefix.` keeps its dot. `any` prefixes always do, `numeric`
 * ones only before a number. A project-maintained list of common English abbreviations (Meteor
 * uses Moses' list); it only matters when the next word does not start with a lowercase letter.
 */
const NONBREAKING = new Map<string, 'any' | 'numeric'>([
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((c) => [c, 'any'] as const),
  ...['Dr', 'Drs', 'Mr', 'Mrs', 'Ms', 'Messrs', 'Prof', 'St', 'Sr', 'Jr', 'Gen', 'Gov', 'Capt', 'Col', 'Lt', 'Sgt', 'Rev', 'Hon', 'Corp', 'Bros', 'Ph', 'Rep', 'Sen', 'v', 'vs', 'i.e', 'e.g', 'rev'].map(
    (p) => [p, 'any'] as const,
  ),
  ...['No', 'Nos', 'Art', 'pp'].map((p) => [p, 'numeric'] as const),
]);

function splitDots(words: string[]): string {
  let out = '';
  words.forEach((word, i) => {
    const next = words[i + 1];
    if (word.length > 1 && word.endsWith('.')) {
      const pre = word.slice(0, -1);
      const type = NONBREAKING.get(pre);
      if (pre.includes('.') && HAS_ALPHA.test(pre)) {
        out += word.split('.').join('');
      } else if (type === 'any' || (next !== undefined && /^[a-z]/.test(next))) {
        out += word;
      } else if (type === 'numeric' && next !== undefined && /^[0-9]+/.test(next)) {
        out += word;
      } else {
        out += `${pre} .`;
      }
    } else {
      out += word;
    }
    out += ' ';
  });
  return out;
}

/** Tokenises and lowercases one segment as `meteor-1.5.jar -l en -norm` does; returns tokens. */
export function meteorNormalize(line: string): string[] {
  let s = ` ${line} `;
  s = s.replace(SEP_OTHER, ' $1 ');
  s = s.replace(MULTI_DOT, ' DOTMULTI$1');
  while (s.includes('DOTMULTI.')) {
    s = s.replace(MULTI_DOT2, 'DOTDOTMULTI $1');
    s = s.split('DOTMULTI.').join('DOTDOTMULTI');
  }
  s = s.replace(COMMA1, '$1 , $2').replace(COMMA2, '$1 , $2').replace(COMMA3, '$1 , $2');
  s = s.replace(QUOTE1, "'").replace(QUOTE2, ' " ');
  s = s.split('\u2013').join('-').split('--').join('-');
  s = s.replace(RM_DASH, '$1 $2');
  s = s.replace(CONT1, "$1 ' $2").replace(CONT2, "$1 ' $2").replace(CONT3, "$1 ' $2").replace(CONT4, "$1 '$2").replace(CONT5, "$1 '$2");
  const words = s.split(TOKEN_DELIMS).filter((w) => w !== '');
  s = splitDots(words);
  while (s.includes('DOTDOTMULTI')) s = s.split('DOTDOTMULTI').join('DOTMULTI.');
  s = s.split('DOTMULTI').join('.');
  s = s.replace(WHITE, ' ').trim().toLowerCase();
  return s === '' ? [] : s.split(TOKEN_DELIMS).filter((w) => w !== '');
}
