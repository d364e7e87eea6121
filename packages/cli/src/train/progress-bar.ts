import type { CliIo } from '../io';

/**
 * A one-line progress display on stderr: `step 40/200 ▕████▏ 20% 3.1 step/s ETA 0:52 lm 2.31 cls 0.41`.
 * In a terminal it redraws in place; elsewhere (CI logs, pipes) it prints a line every
 * `everyLines` updates so logs stay readable.
 */
export class ProgressBar {
  readonly #io: CliIo;
  readonly #total: number;
  readonly #label: string;
  readonly #started = Date.now();
  readonly #startValue: number;
  #updates = 0;
  readonly #everyLines: number;

  constructor(io: CliIo, total: number, options: { label?: string; start?: number; everyLines?: number } = {}) {
    this.#io = io;
    this.#total = total;
    this.#label = options.label ?? 'step';
    this.#startValue = options.start ?? 0;
    this.#everyLines = options.everyLines ?? Math.max(1, Math.round(total / 20));
  }

  update(done: number, detail = ''): void {
    this.#updates++;
    const last = done >= this.#total;
    if (!this.#io.interactive && !last && this.#updates % this.#everyLines !== 0) return;
    const fraction = this.#total === 0 ? 1 : Math.min(1, done / this.#total);
    const width = 20;
    const filled = Math.round(fraction * width);
    const elapsed = (Date.now() - this.#started) / 1000;
    const rate = elapsed > 0 ? (done - this.#startValue) / elapsed : 0;
    const eta = rate > 0 ? (this.#total - done) / rate : Number.NaN;
    const line = `${this.#label} ${done}/${this.#total} ▕${'█'.repeat(filled)}${' '.repeat(width - filled)}▏ ${(fraction * 100).toFixed(0).padStart(3)}% ${rate.toFixed(2)} ${this.#label}/s ETA ${formatDuration(eta)}${detail ? ` ${detail}` : ''}`;
    if (this.#io.interactive) this.#io.stderr(`\r\x1b[2K${line}${last ? '\n' : ''}`);
    else this.#io.stderr(`${line}\n`);
  }
}

/** `m:ss` or `h:mm:ss`; `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}
