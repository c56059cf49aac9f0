import { type ReactNode, useEffect } from 'react';
import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import { ZONE_OWN_PROPERTIES } from '../../../domain/zones';
import { CloseButton, DetailRow, useDetailsFocus } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { formatUtc, t } from '../../i18n/t';
import { isZoneKind, kindLabel } from './kinds';
import { useZoneVersions } from './useZoneVersions';
import { VersionHistory } from './VersionHistory';

interface ZoneDetailsProps {
  id: string;
  /** Undefined when the zone left the picture (retired, or no longer released to this user). */
  zone: ZoneFeature | undefined;
  onClose(): void;
  onZoomTo(id: string): void;
  /** The markings of the versions on screen, so the banners can cover them too. */
  onMarkings(markings: Marking[]): void;
  /** Edit and delete buttons, for those allowed to change zones. */
  actions?: ReactNode;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return t('details.none');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Everything known about one zone: its properties, marking and version history. */
export function ZoneDetails({ id, zone, onClose, onZoomTo, onMarkings, actions }: ZoneDetailsProps) {
  const p = zone?.properties;
  const versions = useZoneVersions(id, p?.version);
  const headingRef = useDetailsFocus(id);

  useEffect(() => {
    onMarkings(versions.status === 'loaded' ? versions.versions.map((v) => v.properties.marking) : []);
  }, [versions, onMarkings]);

  useEffect(() => () => onMarkings([]), [onMarkings]);

  const others = p ? Object.entries(p).filter(([k]) => !ZONE_OWN_PROPERTIES.has(k)) : [];
  const geometryType = (zone?.geometry as { type?: unknown } | null | undefined)?.type;

  return (
    <section className="panel details-panel" data-testid="details-panel" aria-labelledby="details-title">
      <header className="details__header">
        <h2 id="details-title" className="panel__title" ref={headingRef} tabIndex={-1}>
          {p?.name ?? t('details.title')}
        </h2>
        <CloseButton label={t('details.close')} onClose={onClose} />
      </header>
      {!p ? (
        <p className="notice" role="status">
          {t('details.gone')}
        </p>
      ) : (
        <>
          <MarkingBadge text={p.markingText} />
          <dl className="details__list">
            <DetailRow label={t('details.kind')}>
              {isZoneKind(p.kind) ? kindLabel(p.kind) : show(p.kind)}
            </DetailRow>
            <DetailRow label={t('details.version')}>{p.version}</DetailRow>
            <DetailRow label={t('details.validFrom')}>{formatUtc(p.validFrom)}</DetailRow>
            <DetailRow label={t('details.validTo')}>
              {p.validTo ? formatUtc(p.validTo) : t('details.openEnded')}
            </DetailRow>
            <DetailRow label={t('details.description')}>{show(p.description)}</DetailRow>
            <DetailRow label={t('details.marking')}>{p.markingText}</DetailRow>
            <DetailRow label={t('details.createdBy')}>{show(p.createdBy)}</DetailRow>
            <DetailRow label={t('details.createdAt')}>{formatUtc(p.createdAt)}</DetailRow>
            <DetailRow label={t('details.geometry')}>{show(geometryType)}</DetailRow>
            <DetailRow label={t('details.id')}>
              <code className="details__id">{id}</code>
            </DetailRow>
            {others.map(([k, v]) => (
              <DetailRow key={k} label={k}>
                {show(v)}
              </DetailRow>
            ))}
          </dl>
          <button type="button" className="button button--secondary" onClick={() => onZoomTo(id)}>
            {t('details.zoomTo')}
          </button>
          {actions}
        </>
      )}
      <VersionHistory state={versions} currentVersion={p?.version} />
    </section>
  );
}
