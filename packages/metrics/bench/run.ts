// `pnpm --filter @came-grad/metrics bench`: every benchmark of the package, one after the other.
// Not a test: it prints throughput figures for the README. Needs the built package and
// ../shared/data/iu_xray/annotation.json (or IU_XRAY_ANNOTATION pointing at it).
import { existsSync } from 'node:fs';
import { iuAnnotationPath } from './iu-corpus';

if (!existsSync(iuAnnotationPath())) {
  console.error(`bench needs the IU X-Ray annotation at ${iuAnnotationPath()} (set IU_XRAY_ANNOTATION to override)`);
  process.exit(1);
}
await import('./nlg');
await import('./labeler');
