import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** One numpy round: ms for `G = J @ J.T` and for `w @ J`. */
export interface NumpyRound {
  readonly gram: number;
  readonly combine: number;
}

/**
 * A python3 process running bench/numpy_times.py, driven one JSON line at a time so that its rounds
 * interleave with the JavaScript ones (load from other processes then hits both alike).
 */
export class NumpyTimer {
  private readonly pending: ((line: string | null) => void)[] = [];
  private stderr = '';
  private exited = false;
  /** numpy version, BLAS and its thread setting, as reported by the python process. */
  description = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    const fail = () => {
      this.exited = true;
      for (const p of this.pending.splice(0)) p(null);
    };
    child.on('error', fail);
    child.on('exit', fail);
    child.stdin.on('error', fail);
    child.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
    createInterface({ input: child.stdout }).on('line', (line) => this.pending.shift()?.(line));
  }

  /** Starts the process, or gives the one-line reason why numpy timings are unavailable. */
  static async start(): Promise<{ timer: NumpyTimer } | { reason: string }> {
    const script = fileURLToPath(new URL('./numpy_times.py', import.meta.url));
    const timer = new NumpyTimer(spawn('python3', [script], { stdio: ['pipe', 'pipe', 'pipe'] }));
    let info: Record<string, unknown>;
    try {
      info = await timer.ask({ op: 'hello' });
    } catch {
      const detail = timer.stderr.trim().split('\n').pop();
      return { reason: `python3 could not be run${detail ? ` (${detail})` : ''}` };
    }
    if (typeof info['error'] === 'string') {
      await timer.stop();
      return { reason: `numpy is not importable in python3 (${info['error']})` };
    }
    timer.description = `numpy ${String(info['numpy'])}, ${String(info['blas'])}, BLAS threads ${String(info['threads'])}`;
    return { timer };
  }

  private async ask(msg: object): Promise<Record<string, unknown>> {
    if (this.exited) throw new Error('numpy_times.py is not running');
    const answer = new Promise<string | null>((resolve) => this.pending.push(resolve));
    this.child.stdin.write(`${JSON.stringify(msg)}\n`);
    const line = await answer;
    if (line === null) throw new Error(`numpy_times.py exited while answering ${JSON.stringify(msg)}: ${this.stderr.trim()}`);
    return JSON.parse(line) as Record<string, unknown>;
  }

  /** Allocates J (K × D float32) and w in the python process and runs both operations once. */
  async setup(K: number, D: number, seed: number): Promise<void> {
    await this.ask({ op: 'setup', K, D, seed });
  }

  /** Times one `J @ J.T` and one `w @ J`. */
  async round(): Promise<NumpyRound> {
    const r = await this.ask({ op: 'round' });
    return { gram: Number(r['gram']), combine: Number(r['combine']) };
  }

  /** Ends the process and waits for it to exit. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end(`${JSON.stringify({ op: 'quit' })}\n`);
    await gone;
  }
}
