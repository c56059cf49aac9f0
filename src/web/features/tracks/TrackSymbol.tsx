import { type CSSProperties, useSyncExternalStore } from 'react';
import { AFFILIATION_COLOUR, genericSidc, onSymbolsReady, symbolDataUrl, symbolsReady } from './symbols';
import type { Affiliation, TrackKind } from './types';

/** Re-renders once the symbol library has loaded; `useTracks` decides when it loads. */
export function useSymbolsReady(): boolean {
  return useSyncExternalStore(onSymbolsReady, symbolsReady, () => false);
}

interface TrackSymbolProps {
  sidc: string;
  kind: TrackKind;
  affiliation: Affiliation;
  /** milsymbol's size: the height of the frame's base, in CSS pixels. */
  size?: number;
}

/** A track's 2525 symbol as the map draws it, for the panels; decorative (text always beside it). */
export function TrackSymbol({ sidc, kind, affiliation, size = 16 }: TrackSymbolProps) {
  const ready = useSymbolsReady();
  const url = ready
    ? (symbolDataUrl(sidc, size) ?? symbolDataUrl(genericSidc(kind, affiliation), size))
    : null;
  // Every symbol sits in the same box so that names line up whatever the frame shape.
  const box = { '--symbol-box': `${Math.round(size * 1.6)}px` } as CSSProperties;
  if (!url) {
    const colours = AFFILIATION_COLOUR[affiliation];
    const style = { ...box, '--symbol-fill': colours.fill, '--symbol-line': colours.line } as CSSProperties;
    return <span className="track-symbol track-symbol--plain" style={style} aria-hidden="true" />;
  }
  return (
    <span className="track-symbol" style={box} aria-hidden="true">
      <img src={url} alt="" />
    </span>
  );
}
