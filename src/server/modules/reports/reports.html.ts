import {
  CLASSIFICATION_COLOURS,
  type CountRow,
  type DailyReport,
  formatChange,
  localDateTime,
  type ReportIncident,
  STATUS_COLOURS,
} from '../../../domain/daily-report.js';
import { INCIDENT_STATUSES, STATUS_LABELS } from '../../../domain/incident-workflow.js';
import { type ChartFigure, layoutChart, type MapFigure, type Pt, projectMap } from './reports.figures.js';

/** Text for HTML content and attribute values: every report string goes through it. */
export function esc(s: string | number): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const f1 = (n: number) => n.toFixed(1);
const pathOf = (rings: Pt[][]) =>
  rings.map((r) => `M${r.map(([x, y]) => `${f1(x)},${f1(y)}`).join('L')}Z`).join('');
const lineOf = (parts: Pt[][]) =>
  parts.map((r) => `M${r.map(([x, y]) => `${f1(x)},${f1(y)}`).join('L')}`).join('');

export function mapSvg(m: MapFigure): string {
  const clip = m.outline ? `<clipPath id="strip"><path d="${pathOf(m.outline)}"/></clipPath>` : '';
  const clipAttr = m.outline ? ' clip-path="url(#strip)"' : '';
  const govs = m.governorates
    .map((g) => `<path d="${pathOf(g.rings)}" fill="${g.fill}" stroke="#8aa1b8" stroke-width="0.8"/>`)
    .join('');
  const labels = m.governorates
    .map(
      (g) =>
        `<text x="${f1(g.label[0])}" y="${f1(g.label[1])}" text-anchor="end" class="gl">${esc(g.name)}</text>`,
    )
    .join('');
  const outline = m.outline
    ? `<path d="${pathOf(m.outline)}" fill="none" stroke="#2b3a4a" stroke-width="1.2"/>`
    : '';
  const lines = m.lines
    .map(
      (l) =>
        `<path d="${lineOf(l.parts)}" fill="none" stroke="#b00020" stroke-width="2" stroke-dasharray="6 3"><title>${esc(l.name)}</title></path>`,
    )
    .join('');
  const points = m.points
    .map(
      (p) =>
        `<circle cx="${f1(p.at[0])}" cy="${f1(p.at[1])}" r="4.5" fill="${p.colour}" stroke="#000" stroke-width="0.6"><title>${esc(p.number)}</title></circle>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${m.width} ${m.height}" width="${m.width}" height="${m.height}" role="img" aria-label="Map of the period's incidents">
<rect width="${m.width}" height="${m.height}" fill="#dcebf5"/>${clip}<g${clipAttr}>${govs}</g>${outline}${labels}${lines}${points}</svg>`;
}

export function chartSvg(c: ChartFigure): string {
  const ticks = c.ticks
    .map(
      (t) =>
        `<line x1="${c.plot.x}" x2="${c.plot.x + c.plot.w}" y1="${f1(t.y)}" y2="${f1(t.y)}" stroke="#ddd"/><text x="${c.plot.x - 4}" y="${f1(t.y + 3)}" text-anchor="end" class="ax">${t.value}</text>`,
    )
    .join('');
  const bars = c.bars
    .map(
      (b) =>
        `<rect x="${f1(b.x)}" y="${f1(b.y)}" width="${f1(b.w)}" height="${f1(b.h)}" fill="${b.current ? '#1f4e79' : '#7aa6d1'}"><title>${esc(b.label)}: ${b.count}</title></rect>` +
        `<text x="${f1(b.x + b.w / 2)}" y="${c.plot.y + c.plot.h + 12}" text-anchor="middle" class="ax">${esc(b.label)}</text>` +
        (b.count
          ? `<text x="${f1(b.x + b.w / 2)}" y="${f1(b.y - 2)}" text-anchor="middle" class="ax">${b.count}</text>`
          : ''),
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${c.width} ${c.height}" width="${c.width}" height="${c.height}" role="img" aria-label="Incidents per day">${ticks}${bars}<line x1="${c.plot.x}" x2="${c.plot.x + c.plot.w}" y1="${c.plot.y + c.plot.h}" y2="${c.plot.y + c.plot.h}" stroke="#333"/></svg>`;
}

function countTable(title: string, rows: CountRow[], total?: CountRow): string {
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr><td>${esc(r.label)}</td><td class="n">${r.current}</td><td class="n">${r.previous}</td><td class="n">${esc(formatChange(r.change))}</td></tr>`,
        )
        .join('')
    : '<tr><td colspan="4" class="none">None</td></tr>';
  const foot = total
    ? `<tfoot><tr><th>${esc(total.label)}</th><th class="n">${total.current}</th><th class="n">${total.previous}</th><th class="n">${esc(formatChange(total.change))}</th></tr></tfoot>`
    : '';
  return `<table><caption>${esc(title)}</caption><thead><tr><th></th><th class="n">This period</th><th class="n">Previous</th><th class="n">Change</th></tr></thead><tbody>${body}</tbody>${foot}</table>`;
}

function incidentList(title: string, items: ReportIncident[], tz: string): string {
  const body = items.length
    ? `<ul>${items
        .map(
          (i) =>
            `<li><b>${esc(i.number)}</b> ${esc(i.title)} — ${esc(localDateTime(new Date(i.observedAt), tz))}, ${esc(i.place ?? 'place unknown')} (${esc(i.statusLabel)})</li>`,
        )
        .join('')}</ul>`
    : '<p class="none">None in this period.</p>';
  return `<section><h2>${esc(title)}</h2>${body}</section>`;
}

function incidentTable(items: ReportIncident[], tz: string): string {
  const rows = items
    .map(
      (i) =>
        `<tr><td>${esc(i.number)}</td><td>${esc(localDateTime(new Date(i.observedAt), tz))}</td><td>${esc(i.title)}</td><td>${esc(i.categoryLabel)}</td><td>${esc(i.place ?? '')}</td><td>${esc(i.accusedParty)}</td><td><i class="dot" style="background:${STATUS_COLOURS[i.status]}"></i>${esc(i.statusLabel)}</td><td class="n">${i.killed}</td><td class="n">${i.injured}</td></tr>`,
    )
    .join('');
  return `<section><h2>Incidents of the period</h2>${
    items.length
      ? `<table class="list"><thead><tr><th>Incident</th><th>Observed</th><th>Title</th><th>Category</th><th>Place</th><th>Accused</th><th>Status</th><th class="n">Killed</th><th class="n">Injured</th></tr></thead><tbody>${rows}</tbody></table>`
      : '<p class="none">No incidents in this period.</p>'
  }</section>`;
}

const CSS = `
*{box-sizing:border-box}body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:0;padding:2.6em 2em}
.banner{position:fixed;left:0;right:0;text-align:center;font-weight:700;letter-spacing:.04em;padding:.3em;z-index:2}
.banner.top{top:0}.banner.bottom{bottom:0}
h1{font-size:1.6em;margin:.4em 0 0}h2{font-size:1.15em;border-bottom:1px solid #999;margin:1.4em 0 .5em}
.meta{color:#444}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1em 2em;align-items:start}
.kpi{display:flex;gap:2em;margin:.8em 0}.kpi div{font-size:1.05em}.kpi b{font-size:1.6em;display:block}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.2em 0}
td,th{border-bottom:1px solid #ddd;padding:.15em .4em;text-align:left}.n{text-align:right;font-variant-numeric:tabular-nums}
.none{color:#666;font-style:italic}.legend span{display:inline-block;margin-right:1em;white-space:nowrap}
.legend i{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:.3em;border:1px solid #000;vertical-align:-1px}
.legend i.line{border-radius:0;height:0;border:0;border-top:2px dashed #b00020;width:1.6em;vertical-align:3px}
svg text.gl{font-size:11px;fill:#2b3a4a}svg text.ax{font-size:9px;fill:#333}
article.entry{border-left:3px solid #1f4e79;padding:.2em .8em;margin:.8em 0;break-inside:avoid}
article.entry h3{margin:0;font-size:1em}.withheld{color:#7a4b00}
i.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.3em;border:1px solid #000}
table.list td{vertical-align:top}table.list td:nth-child(-n+2){white-space:nowrap}table.list tr{break-inside:avoid}
.figs{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}
@media print{body{padding:1.2cm 0}@page{size:A4;margin:1.4cm 1.2cm}h2{break-after:avoid}table,figure{break-inside:avoid}}
`;

/** The report as one self-contained page: inline CSS and SVG, nothing fetched, every text escaped. */
export function renderReportHtml(r: DailyReport): string {
  const tz = r.period.timezone;
  const colours = CLASSIFICATION_COLOURS[r.marking.classification];
  const banner = (where: string) =>
    `<div class="banner ${where}" style="background:${colours.fill};color:${colours.text}">${esc(r.markingText)}</div>`;
  const when = (iso: string) => `${localDateTime(new Date(iso), tz)} (${tz})`;
  const map = projectMap(r.map, 440, 520);
  const chart = layoutChart(r.trend, 520, 220);
  const statuses = INCIDENT_STATUSES.filter((s) => r.map.points.some((p) => p.status === s));
  const legend = [
    ...statuses.map(
      (s) => `<span><i style="background:${STATUS_COLOURS[s]}"></i>${esc(STATUS_LABELS[s])}</span>`,
    ),
    ...r.map.lines.map((l) => `<span><i class="line"></i>${esc(`${l.name} (v${l.version})`)}</span>`),
  ].join('');
  const narrative = r.narrative.length
    ? r.narrative
        .map(
          (n) =>
            `<article class="entry"><h3>${esc(n.number)} — ${esc(n.title)}</h3><p class="meta">${esc(when(n.observedAt))} · ${esc(n.place ?? 'place unknown')} · ${esc(n.categoryLabel)} · ${esc(n.statusLabel)}</p>${
              n.findingLabel
                ? `<p><b>Finding: ${esc(n.findingLabel)}.</b> ${esc(n.rationale ?? '')}</p>`
                : n.withheld
                  ? `<p class="withheld">Finding withheld until the parties are notified.</p>`
                  : '<p class="none">No finding recorded.</p>'
            }</article>`,
        )
        .join('')
    : '<p class="none">No incident of this period has been assessed yet.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(`${r.markingText} — ${r.number}`)}</title><style>${CSS}</style></head>
<body>${banner('top')}
<header><h1>${esc(r.title)} ${esc(r.number)}</h1>
<p class="meta">Period ${esc(when(r.period.start))} to ${esc(when(r.period.end))} · ${r.period.hours} h · compared with the ${r.period.hours} h before</p>
<p class="meta">Generated for ${esc(r.generatedFor.displayName)} (${esc(r.generatedFor.username)}, ${esc(r.generatedFor.organisation)}) at ${esc(r.generatedAt)}. Computed only from what this reader may see.</p></header>
<section><h2>Summary</h2><div class="kpi"><div><b>${r.total.current}</b>incidents (${esc(formatChange(r.total.change))} on the previous period)</div><div><b>${r.killed}</b>killed</div><div><b>${r.injured}</b>injured</div><div><b>${r.againstMonitors.length}</b>against monitors or sensors</div><div><b>${r.monitoringRestrictions.length}</b>restrictions on monitoring</div></div>
<div class="grid">${countTable('By category', r.byCategory, r.total)}${countTable('By governorate', r.byGovernorate)}${countTable('By accused party', r.byAccusedParty)}${countTable('By status', r.byStatus)}</div></section>
<section><h2>Map and trend</h2><div class="figs"><figure>${mapSvg(map)}<figcaption class="legend">${legend || '<span class="none">No incidents in this period.</span>'}</figcaption></figure>
<figure>${chartSvg(chart)}<figcaption>Incidents per day, ${chart.bars.length} days to the period end (the darker bar is this period).</figcaption></figure></div></section>
${incidentTable(r.incidents, tz)}
${incidentList('Incidents against monitors or sensor assets', r.againstMonitors, tz)}
${incidentList('Restrictions on monitoring', r.monitoringRestrictions, tz)}
<section><h2>Assessed incidents</h2>${narrative}</section>
${banner('bottom')}</body></html>
`;
}
