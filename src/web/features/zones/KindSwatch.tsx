import type { CSSProperties } from 'react';
import type { ZoneKind } from '../../../domain/zones';
import { KIND_LOOK } from './kinds';

/** A small legend symbol drawn with CSS from the same look the map uses. */
export function KindSwatch({ kind }: { kind: ZoneKind }) {
  const look = KIND_LOOK[kind];
  const style = {
    '--swatch-colour': look.colour,
    '--swatch-fill': look.fill ?? 'transparent',
  } as CSSProperties;
  const shape =
    kind === 'ceasefire-line' || kind === 'withdrawal-line'
      ? 'line'
      : kind === 'crossing'
        ? 'point'
        : look.hatch
          ? 'hatch'
          : 'area';
  const dashed = look.dash ? ' swatch--dashed' : '';
  return <span className={`swatch swatch--${shape}${dashed}`} style={style} aria-hidden="true" />;
}
