import fc from 'fast-check';

/**
 * fast-check arbitraries of CoT events as field clients send them and as they might: every
 * element Concord reads, unknown ones, comments, CDATA, references, line ends, either quote,
 * odd whitespace, and now and then a value Concord refuses (a bad uid, time or point).
 */

const pick = <T>(...xs: T[]) => fc.constantFrom(...xs);
const ws = pick(' ', ' ', '\n', '\t', '\r\n', '  ');
const join = (xs: string[]) => xs.join('');

/** Characters of a value inside "…": raw, predefined entities, character references, line ends. */
const valueChar = pick(
  'a',
  'Z',
  '7',
  '.',
  '-',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '>',
  "'",
  ']',
  'é',
  '名',
  '😀',
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&apos;',
  '&#65;',
  '&#x41;',
  '&#10;',
  '&#13;',
  '&#x1F600;',
);
const value = fc.array(valueChar, { maxLength: 12 }).map(join);
/** Text inside elements: the value characters plus `"`, CDATA and comments. */
const textPiece = fc.oneof(
  valueChar,
  pick('"', ' ', '\n'),
  value.map((v) => `<![CDATA[${v.replace(/&/g, '').replace(/]]>/g, '')}<&]]>`),
  pick('<!-- note -->', '<!---->', '<!-- a-b -->'),
);
const text = fc.array(textPiece, { maxLength: 8 }).map(join);
const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9._:-]{0,8}$/);

const num = fc.oneof(
  fc.double({ min: -200, max: 200, noNaN: true }).map(String),
  fc.integer({ min: -1000, max: 10_000 }).map(String),
  pick('9999999', '9999999.0', '', ' 1.5 ', '1e2', 'NaN', 'x', '-0', '0x10', 'Infinity'),
);
const lat = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -90, max: 90, noNaN: true }).map(String) },
  num,
);
const lon = fc.oneof(
  { weight: 5, arbitrary: fc.double({ min: -180, max: 180, noNaN: true }).map(String) },
  num,
);

const isoTime = fc
  .tuple(
    fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
    pick('ms', 's', 'us', 'offset'),
  )
  .map(([ms, form]) => {
    const iso = new Date(ms).toISOString();
    if (form === 's') return iso.replace(/\.\d+Z$/, 'Z');
    if (form === 'us') return iso.replace(/Z$/, '123Z');
    if (form === 'offset') return iso.replace(/Z$/, '+02:00');
    return iso;
  });
const time = fc.oneof({ weight: 10, arbitrary: isoTime }, pick('yesterday', '2024-05-01T10:00:00', ''));
const uid = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,40}$/) },
  pick('bad uid', '', 'x'.repeat(101)),
);
const type = pick(
  'a-f-G-U-C',
  'a-h-A-M-F-Q',
  'a-n-S',
  'a-u-G-E-V',
  'b-m-p-s-m',
  't-x-c-t',
  'u-d-f',
  'a f',
  'a-f-G-U-C-I-x-y',
);

/** ` a="v"` with either quote; `"` inside is escaped. */
function attrs(pairs: [string, string][], sep: string[], quotes: boolean[]): string {
  return pairs
    .map(([k, v], i) => {
      const q = quotes[i % quotes.length] ? '"' : "'";
      const safe = q === '"' ? v.replace(/"/g, '&quot;') : v.replace(/'/g, '&apos;');
      return `${sep[i % sep.length] ?? ' '}${k}${i % 3 === 2 ? ' = ' : '='}${q}${safe}${q}`;
    })
    .join('');
}

/** Distinct attribute names, in any order: XML refuses a repeated one. */
const attrSet = (names: string[]) =>
  fc
    .tuple(
      fc.subarray(names),
      fc.array(value, { minLength: names.length, maxLength: names.length }),
      fc.array(ws, { minLength: 1, maxLength: 4 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    )
    .chain(([ns, vs, sep, q]) =>
      fc
        .shuffledSubarray(
          ns.map((n, i) => [n, vs[i]!] as [string, string]),
          { minLength: ns.length },
        )
        .map((pairs) => attrs(pairs, sep, q)),
    );

const leaf = (tag: string, a: fc.Arbitrary<string>) =>
  fc
    .tuple(a, fc.boolean(), ws)
    .map(([as, selfClosing, w]) =>
      selfClosing ? `<${tag}${as}${w.trim() ? '' : w}/>` : `<${tag}${as}></${tag}>`,
    );

const withValues = (tag: string, names: [string, fc.Arbitrary<string>][]) =>
  fc
    .tuple(
      ...names.map(([, v]) => fc.option(v, { nil: undefined })),
      fc.array(ws, { minLength: 1, maxLength: 3 }),
    )
    .chain((vals) => {
      const sep = vals[vals.length - 1] as string[];
      const pairs = names.flatMap(([n], i) =>
        vals[i] === undefined ? [] : [[n, vals[i] as string] as [string, string]],
      );
      return fc.shuffledSubarray(pairs, { minLength: pairs.length }).map((p) => attrs(p, sep, [true, false]));
    })
    .chain((as) => leaf(tag, fc.constant(as)));

const unknown: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(name, attrSet(['a', 'b:c', 'd-e'])).map(([n, a]) => `<${n}${a}/>`),
    fc
      .tuple(name, attrSet(['x', 'y']), fc.array(fc.oneof(text, tie('el')), { maxLength: 3 }))
      .map(([n, a, kids]) => `<${n}${a}>${kids.join('')}</${n}>`),
  ),
})).el;

const vertex = withValues('vertex', [
  ['lat', lat],
  ['lon', lon],
]);
const shape = fc
  .array(vertex, { maxLength: 4 })
  .map((vs) => `<shape><polyline closed="true">${vs.join('')}</polyline></shape>`);
const remarks = fc
  .tuple(text, fc.option(unknown, { nil: '' }), text)
  .map(([a, u, b]) => `<remarks source="x">${a}${u}${b}</remarks>`);

const detailChild = fc.oneof(
  withValues('contact', [
    ['callsign', value],
    ['endpoint', value],
  ]),
  withValues('__group', [
    ['name', value],
    ['role', value],
  ]),
  withValues('track', [
    ['speed', num],
    ['course', num],
  ]),
  withValues('link', [
    ['uid', value],
    ['type', value],
    ['relation', value],
    ['point', value],
  ]),
  withValues('__milsym', [['id', pick('SFGPUCI--------', 'shgpevat-------', 'bad', '')]]),
  withValues('precisionlocation', [
    ['geopointsrc', value],
    ['altsrc', value],
  ]),
  withValues('status', [['battery', value]]),
  withValues('takv', [
    ['device', value],
    ['platform', value],
    ['os', value],
    ['version', value],
  ]),
  remarks,
  shape,
  vertex,
  unknown,
);

const point = withValues('point', [
  ['lat', lat],
  ['lon', lon],
  ['hae', num],
  ['ce', num],
  ['le', num],
]);

const detail = fc
  .tuple(fc.array(fc.oneof(detailChild, ws, pick('<!-- c -->')), { maxLength: 8 }), fc.boolean())
  .map(([kids, nested]) =>
    nested
      ? `<detail>${kids.join('')}<detail>${kids.slice(0, 2).join('')}</detail></detail>`
      : `<detail>${kids.join('')}</detail>`,
  );

const eventAttrs = fc
  .tuple(
    fc.record(
      { version: pick('2.0'), uid, type, how: pick('h-e', 'm-g', ''), time, start: time, stale: time },
      { requiredKeys: ['uid', 'type', 'time', 'stale'] },
    ),
    fc.array(ws, { minLength: 1, maxLength: 3 }),
    fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  )
  .chain(([r, sep, q]) =>
    fc
      .shuffledSubarray(Object.entries(r) as [string, string][], { minLength: Object.keys(r).length })
      .map((pairs) => attrs(pairs, sep, q)),
  );

const prolog = pick(
  '',
  '<?xml version="1.0"?>',
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
  "<?xml version='1.0' encoding='utf-8' ?>\n",
  '<!-- from ATAK -->\n',
  '\uFEFF',
);

/** One CoT event document, mostly one Concord accepts. */
export const cotEventArb: fc.Arbitrary<string> = fc
  .tuple(
    prolog,
    eventAttrs,
    fc.array(fc.oneof({ weight: 3, arbitrary: point }, detail, unknown, ws), { maxLength: 5 }),
    point,
    pick('', '\n', '<!-- end -->'),
  )
  .map(
    ([pro, as, kids, p, epilog]) =>
      `${pro}<event${as}>${p}${kids.join('')}</event${' '.repeat(kids.length % 2)}>${epilog}`,
  );

/** Bytes to splice into an event: markup pieces, references, forbidden characters, junk. */
const mutationPiece = pick(
  '<',
  '>',
  '&',
  ';',
  '"',
  "'",
  '/',
  '=',
  ' ',
  '!',
  '?',
  '-',
  '[',
  ']',
  '<!--',
  '-->',
  '--',
  ']]>',
  '<![CDATA[',
  '<!DOCTYPE x>',
  '<?x?>',
  '<?xml version="1.0"?>',
  '&lol;',
  '&#0;',
  '&#x110000;',
  '&#65',
  '</event>',
  '<event>',
  '</a>',
  '<a>',
  '\u0000',
  '\u0001',
  '\uFFFE',
  '\uFFFF',
  '\u00b7',
  'é',
  'x',
);

/** A possibly valid event, then cut, duplicated or spliced with markup: mostly broken XML. */
export const mutatedCotArb: fc.Arbitrary<string> = fc
  .tuple(cotEventArb, fc.array(fc.tuple(fc.nat(), fc.nat(8), mutationPiece), { minLength: 1, maxLength: 3 }))
  .map(([xml, edits]) =>
    edits.reduce((s, [at, del, piece]) => {
      const i = at % (s.length + 1);
      return s.slice(0, i) + piece + s.slice(i + (del % 3 === 0 ? del : 0));
    }, xml),
  );
