import PDFDocument from 'pdfkit';
import {
  CLASSIFICATION_COLOURS,
  type CountRow,
  type DailyReport,
  localDateTime,
  type ReportIncident,
  STATUS_COLOURS,
} from '../../../domain/daily-report.js';
import { INCIDENT_STATUSES, STATUS_LABELS } from '../../../domain/incident-workflow.js';
import { type ChartFigure, layoutChart, type MapFigure, type Pt, projectMap } from './reports.figures.js';

type Doc = PDFKit.PDFDocument;

const MARGIN = { top: 48, bottom: 48, left: 48, right: 48 };
const A4_W = 595.28;
const CONTENT_W = A4_W - MARGIN.left - MARGIN.right;

/**
 * The standard PDF fonts encode WinAnsi only: anything else is replaced rather than drawn as
 * the wrong glyph. (Embedding a Unicode font would need one on every machine.)
 */
export function pdfText(s: string): string {
  const allowed = /[\x20-\x7e\xa0-\xff\u2013\u2014\u2022\u2026\u20ac\n]/;
  return [...s]
    .map((ch) => {
      if (allowed.test(ch)) return ch;
      const mapped = PDF_SUBSTITUTES[ch];
      if (mapped) return mapped;
      // Latin letters with marks outside WinAnsi (ā, ū, Ḫ) keep their base letter.
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      return base && [...base].every((c) => allowed.test(c)) ? base : '?';
    })
    .join('');
}

const PDF_SUBSTITUTES: Record<string, string> = {
  '\u2212': '-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u02bf': "'",
  '\u02be': "'",
};

const change = (n: number) => (n > 0 ? `+${n}` : String(n));

function ensureSpace(doc: Doc, h: number): void {
  if (doc.y + h > doc.page.height - MARGIN.bottom) doc.addPage();
}

/** A section heading, kept with the first `keep` points of what follows it. */
function heading(doc: Doc, text: string, keep = 60): void {
  ensureSpace(doc, 30 + keep);
  doc.moveDown(0.6);
  doc.font('Helvetica-Bold').fontSize(12).fillColor('#000').text(pdfText(text), MARGIN.left, doc.y);
  const y = doc.y + 1;
  doc
    .moveTo(MARGIN.left, y)
    .lineTo(MARGIN.left + CONTENT_W, y)
    .lineWidth(0.5)
    .strokeColor('#999')
    .stroke();
  doc.y = y + 5;
  doc.font('Helvetica').fontSize(9);
}

/** A count table in a column of width w at x; returns the y below it. */
function countTable(
  doc: Doc,
  title: string,
  rows: CountRow[],
  x: number,
  y: number,
  w: number,
  total?: CountRow,
) {
  const cols = [w - 150, 50, 50, 50];
  const row = (cells: string[], yy: number, bold = false) => {
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(8.5)
      .fillColor('#000');
    // Labels wrap; the numbers sit on the first line.
    const h = Math.max(11.5, doc.heightOfString(pdfText(cells[0]!), { width: cols[0]! - 4 }) + 1.5);
    let cx = x;
    cells.forEach((c, i) => {
      doc.text(pdfText(c), cx, yy, { width: cols[i]! - 4, align: i === 0 ? 'left' : 'right' });
      cx += cols[i]!;
    });
    doc
      .moveTo(x, yy + h)
      .lineTo(x + w, yy + h)
      .lineWidth(0.3)
      .strokeColor('#ccc')
      .stroke();
    return yy + h + 1.5;
  };
  doc.font('Helvetica-Bold').fontSize(9.5).fillColor('#000').text(pdfText(title), x, y, { lineBreak: false });
  let yy = row(['', 'Period', 'Previous', 'Change'], y + 13, true);
  if (!rows.length) yy = row(['None', '', '', ''], yy);
  for (const r of rows) yy = row([r.label, String(r.current), String(r.previous), change(r.change)], yy);
  if (total)
    yy = row([total.label, String(total.current), String(total.previous), change(total.change)], yy, true);
  return yy;
}

function ringPath(doc: Doc, rings: Pt[][], ox: number, oy: number, close = true): void {
  for (const r of rings) {
    r.forEach(([x, y], i) => {
      if (i === 0) doc.moveTo(ox + x, oy + y);
      else doc.lineTo(ox + x, oy + y);
    });
    if (close) doc.closePath();
  }
}

function drawMap(doc: Doc, m: MapFigure, ox: number, oy: number): void {
  doc.save();
  doc.rect(ox, oy, m.width, m.height).fill('#dcebf5');
  doc.rect(ox, oy, m.width, m.height).clip();
  doc.save();
  if (m.outline) {
    ringPath(doc, m.outline, ox, oy);
    doc.clip();
  }
  for (const g of m.governorates) {
    ringPath(doc, g.rings, ox, oy);
    doc.lineWidth(0.6).fillAndStroke(g.fill, '#8aa1b8');
  }
  doc.restore();
  if (m.outline) {
    ringPath(doc, m.outline, ox, oy);
    doc.lineWidth(1).strokeColor('#2b3a4a').stroke();
  }
  doc.font('Helvetica').fontSize(8).fillColor('#2b3a4a');
  for (const g of m.governorates) {
    const w = doc.widthOfString(g.name);
    doc.text(pdfText(g.name), ox + g.label[0] - w, oy + g.label[1] - 4, { lineBreak: false });
  }
  for (const l of m.lines) {
    ringPath(doc, l.parts, ox, oy, false);
    doc.lineWidth(1.6).dash(5, { space: 3 }).strokeColor('#b00020').stroke().undash();
  }
  for (const p of m.points) {
    doc
      .circle(ox + p.at[0], oy + p.at[1], 3.6)
      .lineWidth(0.5)
      .fillAndStroke(p.colour, '#000');
  }
  doc.restore();
  doc.rect(ox, oy, m.width, m.height).lineWidth(0.5).strokeColor('#666').stroke();
}

function drawChart(doc: Doc, c: ChartFigure, ox: number, oy: number): void {
  doc.font('Helvetica').fontSize(7).fillColor('#333');
  for (const t of c.ticks) {
    doc
      .moveTo(ox + c.plot.x, oy + t.y)
      .lineTo(ox + c.plot.x + c.plot.w, oy + t.y)
      .lineWidth(0.3)
      .strokeColor('#ddd')
      .stroke();
    doc.fillColor('#333').text(String(t.value), ox, oy + t.y - 3, { width: c.plot.x - 4, align: 'right' });
  }
  for (const b of c.bars) {
    if (b.h > 0) doc.rect(ox + b.x, oy + b.y, b.w, b.h).fill(b.current ? '#1f4e79' : '#7aa6d1');
    doc.fillColor('#333').text(pdfText(b.label), ox + b.x - 6, oy + c.plot.y + c.plot.h + 4, {
      width: b.w + 12,
      align: 'center',
      lineBreak: false,
    });
    if (b.count)
      doc.text(String(b.count), ox + b.x - 6, oy + b.y - 9, {
        width: b.w + 12,
        align: 'center',
        lineBreak: false,
      });
  }
  doc
    .moveTo(ox + c.plot.x, oy + c.plot.y + c.plot.h)
    .lineTo(ox + c.plot.x + c.plot.w, oy + c.plot.y + c.plot.h)
    .lineWidth(0.6)
    .strokeColor('#333')
    .stroke();
}

function para(doc: Doc, text: string, opts: { bold?: boolean; size?: number; colour?: string } = {}): void {
  doc
    .font(opts.bold ? 'Helvetica-Bold' : 'Helvetica')
    .fontSize(opts.size ?? 9)
    .fillColor(opts.colour ?? '#000')
    .text(pdfText(text), MARGIN.left, doc.y, { width: CONTENT_W });
}

function incidentList(doc: Doc, title: string, items: ReportIncident[], tz: string): void {
  heading(doc, title);
  if (!items.length) {
    para(doc, 'None in this period.', { colour: '#666' });
    return;
  }
  for (const i of items) {
    ensureSpace(doc, 24);
    para(
      doc,
      `${i.number}  ${i.title} - ${localDateTime(new Date(i.observedAt), tz)}, ${i.place ?? 'place unknown'} (${i.statusLabel})`,
    );
  }
}

/** Every incident of the period: number, time, title, category, place, status; titles wrap. */
function incidentTable(doc: Doc, items: ReportIncident[], tz: string): void {
  heading(doc, 'Incidents of the period');
  if (!items.length) {
    para(doc, 'No incidents in this period.', { colour: '#666' });
    return;
  }
  const cols = [
    { head: 'Incident', w: 56 },
    { head: 'Observed', w: 66 },
    { head: 'Title', w: 128 },
    { head: 'Category', w: 74 },
    { head: 'Place', w: 58 },
    { head: 'Accused', w: 46 },
    { head: 'Status', w: CONTENT_W - 428 },
  ];
  const row = (cells: string[], bold: boolean, dot?: string) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(7.5);
    const indentOf = (i: number) => (dot && i === cells.length - 1 ? 9 : 0);
    const h =
      Math.max(
        ...cells.map((c, i) => doc.heightOfString(pdfText(c), { width: cols[i]!.w - 4 - indentOf(i) })),
      ) + 3;
    if (doc.y + h > doc.page.height - MARGIN.bottom) {
      doc.addPage();
      doc.y = MARGIN.top;
    }
    const y = doc.y;
    let x = MARGIN.left;
    cells.forEach((c, i) => {
      const indent = indentOf(i);
      if (indent)
        doc
          .circle(x + 3, y + 3.5, 2.8)
          .lineWidth(0.4)
          .fillAndStroke(dot, '#000');
      doc.fillColor('#000').text(pdfText(c), x + indent, y, { width: cols[i]!.w - 4 - indent });
      x += cols[i]!.w;
    });
    doc
      .moveTo(MARGIN.left, y + h - 1.5)
      .lineTo(MARGIN.left + CONTENT_W, y + h - 1.5)
      .lineWidth(0.3)
      .strokeColor('#ccc')
      .stroke();
    doc.y = y + h;
  };
  row(
    cols.map((c) => c.head),
    true,
  );
  for (const i of items)
    row(
      [
        i.number,
        localDateTime(new Date(i.observedAt), tz),
        i.title,
        i.categoryLabel,
        i.place ?? '',
        i.accusedParty,
        i.statusLabel,
      ],
      false,
      STATUS_COLOURS[i.status],
    );
  doc.x = MARGIN.left;
}

/** Banners, the generated-for line and page numbers, on every page once the content is laid out. */
function finishPages(doc: Doc, r: DailyReport): void {
  const colours = CLASSIFICATION_COLOURS[r.marking.classification];
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing in the margins must not start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const h = doc.page.height;
    for (const y of [0, h - 22]) {
      doc.rect(0, y, A4_W, 22).fill(colours.fill);
      doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .fillColor(colours.text)
        .text(pdfText(r.markingText), 0, y + 6.5, { width: A4_W, align: 'center', lineBreak: false });
    }
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor('#444')
      .text(
        pdfText(`${r.number} - generated for ${r.generatedFor.username} at ${r.generatedAt}`),
        MARGIN.left,
        h - 36,
        {
          width: CONTENT_W - 80,
          lineBreak: false,
        },
      )
      .text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN.left, h - 36, {
        width: CONTENT_W,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
}

/** The report as an A4 PDF: summary tables, the map and chart as vectors, the narrative, banners on every page. */
export function renderReportPdf(r: DailyReport): Promise<Buffer> {
  const tz = r.period.timezone;
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    info: {
      Title: pdfText(`${r.title} ${r.number} (${r.markingText})`),
      Author: 'Concord',
      Subject: r.markingText,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const when = (iso: string) => `${localDateTime(new Date(iso), tz)}`;

  doc.y = MARGIN.top + 4;
  para(doc, `${r.title} ${r.number}`, { bold: true, size: 18 });
  doc.moveDown(0.2);
  para(
    doc,
    `Period ${when(r.period.start)} to ${when(r.period.end)} (${tz}), ${r.period.hours} h, compared with the ${r.period.hours} h before.`,
  );
  para(
    doc,
    `Generated for ${r.generatedFor.displayName} (${r.generatedFor.username}, ${r.generatedFor.organisation}) at ${r.generatedAt}. Computed only from what this reader may see.`,
    { colour: '#444' },
  );

  heading(doc, 'Summary');
  const kpis: [string, string][] = [
    [String(r.total.current), `incidents (${change(r.total.change)})`],
    [String(r.killed), 'killed'],
    [String(r.injured), 'injured'],
    [String(r.againstMonitors.length), 'against monitors or sensors'],
    [String(r.monitoringRestrictions.length), 'restrictions on monitoring'],
  ];
  const ky = doc.y;
  kpis.forEach(([n, label], i) => {
    const x = MARGIN.left + (i * CONTENT_W) / kpis.length;
    doc.font('Helvetica-Bold').fontSize(18).fillColor('#1f4e79').text(n, x, ky, { lineBreak: false });
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#333')
      .text(pdfText(label), x, ky + 21, { width: CONTENT_W / kpis.length - 8 });
  });
  doc.y = ky + 46;

  const colW = (CONTENT_W - 20) / 2;
  const tablePairs: [string, CountRow[], CountRow?][][] = [
    [
      ['By category', r.byCategory, r.total],
      ['By governorate', r.byGovernorate],
    ],
    [
      ['By accused party', r.byAccusedParty],
      ['By status', r.byStatus],
    ],
  ];
  for (const pair of tablePairs) {
    const need = Math.max(...pair.map(([, rows, t]) => 14 * (Math.max(rows.length, 1) + (t ? 3 : 2)))) + 10;
    ensureSpace(doc, need);
    const y0 = doc.y + 4;
    const ends = pair.map(([title, rows, total], i) =>
      countTable(doc, title, rows, MARGIN.left + i * (colW + 20), y0, colW, total),
    );
    doc.y = Math.max(...ends) + 6;
  }

  const map = projectMap(r.map, CONTENT_W * 0.62, 330);
  heading(doc, 'Map of the period', map.height + 10);
  const my = doc.y;
  drawMap(doc, map, MARGIN.left, my);
  // Legend beside the map.
  let ly = my + 4;
  const lx = MARGIN.left + map.width + 14;
  doc.font('Helvetica-Bold').fontSize(8.5).fillColor('#000').text('Status', lx, ly);
  ly += 13;
  const shown = INCIDENT_STATUSES.filter((s) => r.map.points.some((p) => p.status === s));
  for (const s of shown) {
    doc
      .circle(lx + 4, ly + 4, 3.6)
      .lineWidth(0.5)
      .fillAndStroke(STATUS_COLOURS[s], '#000');
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#000')
      .text(STATUS_LABELS[s], lx + 12, ly, { lineBreak: false });
    ly += 12;
  }
  if (!shown.length) {
    doc.font('Helvetica').fontSize(8).fillColor('#666').text('No incidents in this period.', lx, ly);
    ly += 12;
  }
  for (const l of map.lines) {
    ly += 4;
    doc
      .moveTo(lx, ly + 4)
      .lineTo(lx + 16, ly + 4)
      .lineWidth(1.6)
      .dash(5, { space: 3 })
      .strokeColor('#b00020')
      .stroke()
      .undash();
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#000')
      .text(pdfText(l.name), lx + 20, ly, { width: CONTENT_W - map.width - 34 });
    ly = doc.y + 2;
  }
  doc.y = my + map.height + 8;

  const chart = layoutChart(r.trend, CONTENT_W, 160);
  heading(doc, `Incidents per day, ${r.trend.length} days to the period end`, chart.height + 6);
  const cy = doc.y;
  drawChart(doc, chart, MARGIN.left, cy);
  doc.y = cy + chart.height + 4;

  incidentTable(doc, r.incidents, tz);
  incidentList(doc, 'Incidents against monitors or sensor assets', r.againstMonitors, tz);
  incidentList(doc, 'Restrictions on monitoring', r.monitoringRestrictions, tz);

  heading(doc, 'Assessed incidents');
  if (!r.narrative.length) para(doc, 'No incident of this period has been assessed yet.', { colour: '#666' });
  for (const n of r.narrative) {
    ensureSpace(doc, 48);
    doc.moveDown(0.3);
    para(doc, `${n.number} - ${n.title}`, { bold: true, size: 9.5 });
    para(
      doc,
      `${when(n.observedAt)} - ${n.place ?? 'place unknown'} - ${n.categoryLabel} - ${n.statusLabel}`,
      {
        colour: '#444',
        size: 8.5,
      },
    );
    if (n.findingLabel) {
      para(doc, `Finding: ${n.findingLabel}.`, { bold: true });
      if (n.rationale) para(doc, n.rationale);
    } else if (n.withheld) {
      para(doc, 'Finding withheld until the parties are notified.', { colour: '#7a4b00' });
    } else {
      para(doc, 'No finding recorded.', { colour: '#666' });
    }
  }

  finishPages(doc, r);
  doc.end();
  return done;
}
