import { describe, expect, it } from 'vitest';
import { MetricsInputError, MetricsOptionError } from '../errors.js';
import { cleanReport, cleanReportIuXray, cleanReportMimicCxr } from './clean-report.js';

// Normative table of nlg-metrics.md §2.3: [input, IU X-Ray output, MIMIC-CXR output].
const TABLE: [string, string, string][] = [
  ['No acute disease.. Heart size is normal. ', 'no acute disease . heart size is normal .', 'no acute disease . heart size is normal .'],
  ['1. Clear lungs. 2. No effusion.', 'clear lungs . no effusion .', 'clear lungs . no effusion .'],
  [
    'Well-expanded lungs; T-spine 4.5 cm fibrosis/scar? <none> @home',
    'well-expanded lungs t-spine 45 cm fibrosisscar none home .',
    'well-expanded lungs t-spine 45 cm fibrosisscar none home .',
  ],
  ['Normal. . Clear.', 'normal .  . clear .', 'normal .  . clear .'],
  [
    'FINDINGS:\nThe lungs are clear.  No pleural effusion.\n\nIMPRESSION: ___ No acute process.',
    'findings\nthe lungs are clear . no pleural effusion\n\nimpression  no acute process .',
    'findings the lungs are clear . no pleural effusion . impression  no acute process .',
  ],
  [
    'Compared to ___, the ET tube is 4.5 cm above the carina. 2. No pneumothorax.',
    'compared to  the et tube is 45 cm above the carina . no pneumothorax .',
    'compared to  the et tube is 45 cm above the carina . no pneumothorax .',
  ],
  ['PA and lateral views. T11. compression', 'pa and lateral views . t1compression .', 'pa and lateral views . t1compression .'],
];

describe('R2Gen report cleaners', () => {
  it.each(TABLE)('cleans %j', (input, iu, mimic) => {
    expect(cleanReportIuXray(input)).toBe(iu);
    expect(cleanReportMimicCxr(input)).toBe(mimic);
    expect(cleanReport(input, 'iu_xray')).toBe(iu);
    expect(cleanReport(input, 'mimic_cxr')).toBe(mimic);
  });

  it('deletes exactly the characters of the regex class, including the :-[ range, and keeps the hyphen', () => {
    // The range U+003A–U+005B covers : ; < = > ? @ A-Z [ ; the backslash and quotes go in step 4.
    expect(cleanReportIuXray('a:b;c<d=e>f?g@h[i]j{k}l-m|n~o#p$q`r')).toBe('abcdefghijkl-m|n~o#p$q`r .');
    expect(cleanReportIuXray('x "quoted" \'single\' back\\slash a/b')).toBe('x quoted single backslash ab .');
  });

  it('removes "1. " anywhere and renumbers 2.–5. only, per the original replace chain', () => {
    // Checked against the Python original: "6. " is not a numbering pattern, so it splits there.
    expect(cleanReportIuXray('See 21. item. 6. Six.')).toBe('see 2item . 6 . six .');
    expect(cleanReportIuXray('A. 3. B. 4. C. 5. D')).toBe('a . b . c . d .');
  });

  it('collapses dots a fixed number of times, and only MIMIC handles double spaces and underscores', () => {
    // 9 dots: 9 → 5 → 3 → 2; "a.. b" then splits on ". " and the class deletes the last dot.
    expect(cleanReportIuXray('a......... b')).toBe('a . b .');
    expect(cleanReportIuXray('a  b__c')).toBe('a  bc .');
    expect(cleanReportMimicCxr('a  b__c')).toBe('a bc .');
  });

  it('uses Python whitespace for strip: U+001C is stripped, U+FEFF is not', () => {
    expect(cleanReportIuXray('\u001cabc\u001c')).toBe('abc .');
    expect(cleanReportIuXray('\ufeffabc')).toBe('\ufeffabc .');
  });

  it('cleans the first IU X-Ray test report as the spec states', () => {
    const report =
      'Normal cardiomediastinal silhouette. There is no focal consolidation. There are no XXXX of a large pleural effusion. There is no pneumothorax. There is no acute bony abnormality seen.';
    expect(cleanReportIuXray(report)).toBe(
      'normal cardiomediastinal silhouette . there is no focal consolidation . there are no xxxx of a large pleural effusion . there is no pneumothorax . there is no acute bony abnormality seen .',
    );
  });

  it('rejects bad input with typed errors', () => {
    expect(() => cleanReport(3 as unknown as string, 'iu_xray')).toThrow(MetricsInputError);
    expect(() => cleanReport(3 as unknown as string, 'iu_xray')).toThrow('`text` should be a string. Found number 3.');
    expect(() => cleanReport('x', 'chexpert' as 'iu_xray')).toThrow(MetricsOptionError);
  });
});
