import { describe, expectTypeOf, it } from 'vitest';
import { labelReports } from '../labeler/label-report';
import type { CheXpertLabel, Observation } from '../labeler/observations';
import { ceMetrics } from './ce-metrics';
import { clinicalEfficacy } from './clinical-efficacy';
import { CE_PROTOCOLS } from './protocols';

describe('public types', () => {
  it('labelReports returns CheXpert-encoded records keyed by observation name', () => {
    expectTypeOf(labelReports(['x'])).toEqualTypeOf<Record<Observation, CheXpertLabel>[]>();
    expectTypeOf<CheXpertLabel>().toEqualTypeOf<1 | 0 | -1 | null>();
  });

  it('accepts every protocol and rejects unknown option values at compile time', () => {
    const labels = labelReports(['x']);
    clinicalEfficacy(labels, labels, CE_PROTOCOLS.ddatr);
    clinicalEfficacy(labels, labels, { positive: 'positive', average: 'example', observations: 5 });
    // @ts-expect-error 'pos' is ceMetrics' spelling
    clinicalEfficacy(labels, labels, { positive: 'pos' });
    // @ts-expect-error only 14 or 5 observations
    clinicalEfficacy(labels, labels, { observations: 13 });
    // @ts-expect-error ceMetrics requires positive and average
    ceMetrics([], [], { positive: 'pos' });
  });
});
