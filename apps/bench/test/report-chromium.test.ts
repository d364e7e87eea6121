import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTEFACTS, writeArtefacts } from '../src/write-artefacts';
import { testGridRun, testRecord } from './fake-record';

/** Debian's `chromium` package; CI installs it with apt. */
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`report rendering test skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

interface Rendered {
  readonly consoleLines: string[];
  readonly png: Buffer | null;
  readonly dom: string;
}

/** Loads a file in headless Chromium twice: once for a screenshot (and console), once for the DOM. */
function render(htmlPath: string, pngPath: string): Rendered {
  const common = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--enable-logging=stderr', '--v=0', '--window-size=1400,1000'];
  const shot = spawnSync(CHROMIUM, [...common, `--screenshot=${pngPath}`, `file://${htmlPath}`], { encoding: 'utf8', timeout: 120_000 });
  // A page's console output reaches the log as `INFO:CONSOLE:<line>] "<message>", source: …`.
  const consoleLines = `${shot.stderr}`.split('\n').filter((l) => l.includes(':CONSOLE'));
  const dom = spawnSync(CHROMIUM, [...common, '--dump-dom', `file://${htmlPath}`], { encoding: 'utf8', timeout: 120_000 }).stdout;
  return { consoleLines, png: existsSync(pngPath) ? readFileSync(pngPath) : null, dom };
}

describe.skipIf(!haveChromium)('report.html in headless Chromium', () => {
  it('notices console output (control page)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-chromium-'));
    writeFileSync(join(dir, 'control.html'), '<!DOCTYPE html><html><body><script>console.error("control-error")</script></body></html>');
    const rendered = render(join(dir, 'control.html'), join(dir, 'control.png'));
    expect(rendered.consoleLines.join('\n')).toContain('control-error');
  });

  it('renders tables and plots with no console output, and a screenshot is taken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const grid = [testGridRun('wcl', 'linear', 0), testGridRun('wcl', 'came-grad', 0), testGridRun('revtaf', 'linear', 0, 'backbone revtaf is not registered')];
    writeArtefacts(dir, grid, [testRecord(grid[0]!, 0.25), testRecord(grid[1]!, 0.5)], ['profile `quick` <test & check>']);
    const html = readFileSync(join(dir, ARTEFACTS.report), 'utf8');
    // Self-contained: nothing is fetched from anywhere.
    expect(html).not.toMatch(/<(script|link|img)\b|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const pngPath = join(dir, 'report.png');
    const rendered = render(join(dir, ARTEFACTS.report), pngPath);
    expect(rendered.consoleLines).toEqual([]);
    expect(rendered.png).not.toBeNull();
    const png = rendered.png as Buffer;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1400, 1000]);
    expect(png.length).toBeGreaterThan(20_000);
    expect(rendered.dom).toContain('<td>+25.00</td>');
    expect(rendered.dom).toContain('not available: backbone revtaf is not registered');
    expect((rendered.dom.match(/<svg /g) ?? []).length).toBe(3);
    expect(rendered.dom).toContain('profile <code>quick</code> &lt;test &amp; check&gt;');
    console.info(`report screenshot: ${pngPath}`);
  });
});
