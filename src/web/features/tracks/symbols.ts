import type { Affiliation, TrackKind } from './types';

/**
 * MIL-STD-2525 symbols from milsymbol, loaded on demand: the library is ~700 kB of icon data, which
 * must not hold back the first picture of the zones. Until it arrives the map draws plain markers in
 * the affiliation colour, then redraws (see `onSymbolsReady`).
 *
 * Rendered symbols are cached per SIDC and selection, so thousands of tracks cost a handful of
 * canvases: a style function only picks one.
 */
type Milsymbol = typeof import('milsymbol').default;

let lib: Milsymbol | null = null;
/** Set once the common symbols are built: until then panels and map keep the plain markers. */
let ready = false;
let loading: Promise<void> | null = null;
const readyListeners = new Set<() => void>();

/** One slice of warming per task: the first symbol of a dimension and affiliation costs 30–180 ms. */
function nextSlice(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 500 });
    else setTimeout(resolve, 0);
  });
}

/**
 * milsymbol builds its icon tables per battle dimension and affiliation on first use: building the
 * generic symbols of every kind and affiliation one per task, before any view asks for them, keeps
 * that ~0.6 s out of a single render (the track list drew 200 rows of them in one long task).
 */
async function warm(): Promise<void> {
  for (const kind of Object.keys(KIND_SIDC) as TrackKind[]) {
    for (const affiliation of Object.keys(AFFILIATION_LETTER) as Affiliation[]) {
      await nextSlice();
      symbolDataUrl(genericSidc(kind, affiliation), 14);
    }
  }
}

export function loadSymbols(): Promise<void> {
  loading ??= import('milsymbol')
    .then((m) => {
      lib = m.default;
      return warm();
    })
    .then(
      () => {
        ready = true;
        for (const l of readyListeners) l();
      },
      () => {
        // A failed chunk load (offline, redeploy) keeps the plain markers; a later call retries.
        loading = null;
      },
    );
  return loading;
}

export function symbolsReady(): boolean {
  return ready;
}

/** Calls back once the symbol library has loaded; returns the function that unsubscribes. */
export function onSymbolsReady(listener: () => void): () => void {
  readyListeners.add(listener);
  return () => readyListeners.delete(listener);
}

const AFFILIATION_LETTER: Record<Affiliation, string> = {
  friend: 'F',
  hostile: 'H',
  neutral: 'N',
  unknown: 'U',
};

/**
 * 2525C symbols with the affiliation left open, the same the server gives a track reported without
 * one (src/domain/tracks.ts, not imported: it would bring the schema library into the bundle).
 */
const KIND_SIDC: Record<TrackKind, string> = {
  uav: 'S?APMFQ--------',
  aircraft: 'S?APMF---------',
  vehicle: 'S?GPEV---------',
  convoy: 'S?GPEV---------',
  team: 'S?GPUCI--------',
  vessel: 'S?SP-----------',
  unit: 'S?GPU----------',
};

/** A 15-character 2525C SIDC for a kind and affiliation, e.g. `SHAPMFQ--------` for a hostile UAV. */
export function genericSidc(kind: TrackKind, affiliation: Affiliation): string {
  return KIND_SIDC[kind].replace('?', AFFILIATION_LETTER[affiliation]);
}

/** The legend symbol of an affiliation: the frame shape and colour are what tell them apart. */
export function affiliationSidc(affiliation: Affiliation): string {
  return `S${AFFILIATION_LETTER[affiliation]}GPU----------`;
}

/** Frame colours of the 2525 light scheme, for markers, footprints and trails. */
export const AFFILIATION_COLOUR: Record<Affiliation, { fill: string; line: string }> = {
  friend: { fill: '#80e0ff', line: '#006b8f' },
  hostile: { fill: '#ff8080', line: '#b3122f' },
  neutral: { fill: '#aaffaa', line: '#2b8a3e' },
  unknown: { fill: '#ffff80', line: '#7a6a00' },
};

export interface RenderedSymbol {
  canvas: HTMLCanvasElement;
  /** Where the track's position is on the canvas, in canvas pixels. */
  anchor: [number, number];
  /** Canvas pixels per CSS pixel. */
  ratio: number;
  /** Size in CSS pixels. */
  width: number;
  height: number;
}

const SELECTED_OUTLINE = '#ffd43b';
const SYMBOL_SIZE = 24;
/** Sizes of the cache: far above the distinct SIDCs of any real picture, but bounded. */
const MAX_CACHED = 2_000;
const rendered = new Map<string, RenderedSymbol | null>();
const dataUrls = new Map<string, string | null>();

function pixelRatio(): number {
  return Math.min(2, Math.max(1, Math.round((globalThis.devicePixelRatio || 1) * 4) / 4));
}

/**
 * The symbol for a SIDC, or null while the library loads or when milsymbol cannot read the SIDC
 * (the caller then falls back to `genericSidc`). Selected symbols get a yellow outline.
 */
export function renderSymbol(sidc: string, selected: boolean, size = SYMBOL_SIZE): RenderedSymbol | null {
  if (!lib) return null;
  const ratio = pixelRatio();
  const key = `${sidc}|${selected ? 1 : 0}|${size}|${ratio}`;
  const cached = rendered.get(key);
  if (cached !== undefined) return cached;
  if (rendered.size >= MAX_CACHED) rendered.clear();
  const symbol = new lib.Symbol(sidc, {
    size,
    // A white (or, selected, yellow) outline keeps symbols legible over sea, land and zone fills.
    outlineColor: selected ? SELECTED_OUTLINE : 'rgba(255, 255, 255, 0.9)',
    outlineWidth: selected ? 4 : 1.5,
  });
  let result: RenderedSymbol | null = null;
  if (symbol.isValid()) {
    const { x, y } = symbol.getAnchor();
    const { width, height } = symbol.getSize();
    result = { canvas: symbol.asCanvas(ratio), anchor: [x * ratio, y * ratio], ratio, width, height };
  }
  rendered.set(key, result);
  return result;
}

/** The symbol as an image URL for the panels (legend, list, details); null until the library loads. */
export function symbolDataUrl(sidc: string, size = 18): string | null {
  if (!lib) return null;
  const key = `${sidc}|${size}`;
  const cached = dataUrls.get(key);
  if (cached !== undefined) return cached;
  if (dataUrls.size >= MAX_CACHED) dataUrls.clear();
  const symbol = new lib.Symbol(sidc, { size });
  const url = symbol.isValid()
    ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(symbol.asSVG())}`
    : null;
  dataUrls.set(key, url);
  return url;
}
