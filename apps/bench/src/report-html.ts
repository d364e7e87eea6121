import { escapeXml } from './svg-chart';

/** What the report shows besides the tables. */
export interface ReportMeta {
  readonly title: string;
  /** Lines under the title: profile, dataset, runs, wall time, versions. */
  readonly facts: readonly string[];
}

function inline(text: string): string {
  return escapeXml(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A "not available" cell spans the empty cells after it, so the reason reads on one line. */
function rowCells(cells: readonly string[]): string {
  const na = cells.findIndex((c) => c.startsWith('not available'));
  if (na < 0) return cells.map((c) => `<td>${inline(c)}</td>`).join('');
  const before = cells.slice(0, na).map((c) => `<td>${inline(c)}</td>`).join('');
  return `${before}<td class="na" colspan="${cells.length - na}">${inline(cells[na] as string)}</td>`;
}

/**
 * Converts the bench's own Markdown (headings, pipe tables, `>` notes, paragraphs) to HTML.
 * It is not a general Markdown renderer: it reads only what {@link experimentMarkdown} writes,
 * so the report and `table.md` cannot disagree.
 */
export function benchMarkdownToHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('|')) {
      const rows: string[][] = [];
      for (; i < lines.length && (lines[i] as string).startsWith('|'); i++) rows.push((lines[i] as string).slice(1, -1).split(' | ').map((c) => c.trim()));
      i--;
      const [head, , ...body] = rows;
      out.push('<table>');
      out.push(`<thead><tr>${(head ?? []).map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`);
      out.push(`<tbody>${body.map((r) => `<tr>${rowCells(r)}</tr>`).join('')}</tbody>`);
      out.push('</table>');
    } else if (line.startsWith('### ')) out.push(`<h3>${inline(line.slice(4))}</h3>`);
    else if (line.startsWith('## ')) out.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith('# ')) out.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (line.startsWith('> ')) out.push(`<p class="note">${inline(line.slice(2))}</p>`);
    else if (line.trim() !== '') out.push(`<p>${inline(line)}</p>`);
  }
  return out.join('\n');
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#222}
table{border-collapse:collapse;margin:8px 0 16px;font-size:12px;display:block;overflow-x:auto}
th,td{border:1px solid #ccc;padding:3px 6px;text-align:right;white-space:nowrap}
th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}
td.na{color:#888;text-align:left}
tbody tr:nth-child(even){background:#f6f6f6}
p.note{color:#555;font-size:12px;border-left:3px solid #ccc;padding-left:8px}
.plots{display:flex;flex-wrap:wrap;gap:12px}
.plots figure{margin:0}
ul.facts{font-size:13px;color:#444}
`;

/** A single HTML file with the tables and the SVG plots inline: no scripts, no network. */
export function reportHtml(meta: ReportMeta, tablesMarkdown: string, svgs: readonly { file: string; svg: string }[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(meta.title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeXml(meta.title)}</h1>`,
    `<ul class="facts">${meta.facts.map((f) => `<li>${inline(f)}</li>`).join('')}</ul>`,
    svgs.length > 0 ? `<h2>Gradient dynamics over training</h2><div class="plots">${svgs.map((s) => `<figure id="${escapeXml(s.file)}">${s.svg}</figure>`).join('\n')}</div>` : '',
    benchMarkdownToHtml(tablesMarkdown),
    '</body></html>',
    '',
  ].join('\n');
}
