import type { ReactNode } from 'react';
import { t } from '../i18n/t';

interface LayerGroupProps {
  title: string;
  /** Adds "All" and "None" beside the title. */
  onShowAll?(show: boolean): void;
  testId?: string;
  /** The toggles, each a `<li>`. */
  children: ReactNode;
  /** What the group shows under its toggles, such as a legend of the symbols on the map. */
  legend?: ReactNode;
}

/** A group of layer toggles in the layer panel, under its title. */
export function LayerGroup({ title, onShowAll, testId, children, legend }: LayerGroupProps) {
  return (
    <fieldset className="kinds" data-testid={testId}>
      <legend className="kinds__legend">
        <span>{title}</span>
        {onShowAll && (
          <span className="kinds__bulk">
            <button type="button" className="link-button" onClick={() => onShowAll(true)}>
              {t('layers.all')}
            </button>
            <button type="button" className="link-button" onClick={() => onShowAll(false)}>
              {t('layers.none')}
            </button>
          </span>
        )}
      </legend>
      <ul className="kinds__list">{children}</ul>
      {legend}
    </fieldset>
  );
}

interface LayerToggleProps {
  checked: boolean;
  onChange(): void;
  testId: string;
  /** The symbol the map draws for this layer. */
  swatch: ReactNode;
  name: string;
  count: ReactNode;
  countTestId: string;
}

/** One layer on or off: its symbol, name and how many of it there are. */
export function LayerToggle({
  checked,
  onChange,
  testId,
  swatch,
  name,
  count,
  countTestId,
}: LayerToggleProps) {
  return (
    <label className="kind-toggle">
      <input type="checkbox" checked={checked} onChange={onChange} data-testid={testId} />
      {swatch}
      <span className="kind-toggle__name">{name}</span>
      <span className="kind-toggle__count" data-testid={countTestId}>
        {count}
      </span>
    </label>
  );
}

/** A legend symbol drawn in a 20 × 20 box, as the map draws it. */
export function LegendSwatch({ size, children }: { size: number; children: ReactNode }) {
  return (
    <svg className="incident-swatch" viewBox="0 0 20 20" width={size} height={size} aria-hidden="true">
      {children}
    </svg>
  );
}
