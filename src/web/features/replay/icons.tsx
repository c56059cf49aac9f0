/**
 * Player icons as inline SVG: the media glyphs (⏸ ⏪ ⏩) are missing from many system fonts and
 * would show as empty boxes.
 */
const PATHS = {
  play: 'M7 4.5v15l12-7.5z',
  pause: 'M6 4.5h4v15H6zM14 4.5h4v15h-4z',
  back: 'M11 6v12L3 12zM20 6v12l-8-6z',
  forward: 'M4 6v12l8-6zM13 6v12l8-6z',
} as const;

export function PlayerIcon({ name }: { name: keyof typeof PATHS }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
