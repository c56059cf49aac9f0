import { CloseButton, DetailRow, useDetailsFocus } from '../../app/details';
import { MarkingBadge } from '../../app/MarkingBadge';
import { formatUtcSeconds, t } from '../../i18n/t';
import { formatLatLon, formatMgrs } from '../../map/coords';
import { affiliationLabel, trackKindLabel } from './labels';
import { TrackSymbol } from './TrackSymbol';
import { type TrackFeature, trackAffiliation, trackKind, trackLonLat } from './types';
import { TRAIL_MINUTES, type TrailState } from './useTrackTrail';

/** Shown in their own rows (or the heading); anything else the server sends is listed after them. */
const KNOWN = new Set([
  'uid',
  'kind',
  'affiliation',
  'sidc',
  'callsign',
  'organisation',
  'source',
  'alt',
  'course',
  'speed',
  'accuracy',
  'observedAt',
  'staleAt',
  'footprint',
  'marking',
  'markingText',
]);

interface TrackDetailsProps {
  uid: string;
  /** Undefined when the track left the picture (stale, or no longer released to this user). */
  track: TrackFeature | undefined;
  trail: TrailState;
  onClose(): void;
  onCentre(uid: string): void;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return t('details.none');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function round(v: number, digits = 0): string {
  return v.toFixed(digits);
}

function speedText(ms: number | null): string {
  if (ms === null) return t('details.none');
  return t('track.speedValue', { ms: round(ms, 1), kmh: round(ms * 3.6), kn: round(ms * 1.943_844) });
}

function trailText(trail: TrailState): string {
  const minutes = TRAIL_MINUTES;
  if (trail.status === 'failed') return t('track.trailFailed', { detail: trail.detail ?? '' });
  if (trail.status === 'loading') return t('track.trailLoading', { minutes });
  if (trail.points.length < 2) return t('track.trailEmpty', { minutes });
  return t('track.trailLoaded', { count: trail.points.length, minutes });
}

/** Everything known about one track: what it is, where, how fast, its marking and provenance. */
export function TrackDetails({ uid, track, trail, onClose, onCentre }: TrackDetailsProps) {
  const headingRef = useDetailsFocus(uid);

  const p = track?.properties;
  const kind = p ? trackKind(p) : 'unit';
  const affiliation = p ? trackAffiliation(p) : 'unknown';
  const [lon, lat] = track ? trackLonLat(track) : [0, 0];
  const alt = num(p?.alt);
  const course = num(p?.course);
  const accuracy = num(p?.accuracy);
  const others = p ? Object.entries(p).filter(([k]) => !KNOWN.has(k)) : [];

  return (
    <section
      className="panel details-panel"
      data-testid="track-details"
      aria-labelledby="track-details-title"
    >
      <header className="details__header">
        <h2 id="track-details-title" className="panel__title track-title" ref={headingRef} tabIndex={-1}>
          {p && <TrackSymbol sidc={p.sidc} kind={kind} affiliation={affiliation} size={22} />}
          <span data-testid="track-callsign">{p?.callsign || (p ? uid : t('track.title'))}</span>
        </h2>
        <CloseButton label={t('details.close')} onClose={onClose} />
      </header>
      {!p ? (
        <p className="notice" role="status">
          {t('track.gone')}
        </p>
      ) : (
        <>
          <MarkingBadge text={p.markingText} />
          <dl className="details__list">
            <DetailRow label={t('track.kind')}>{trackKindLabel(kind)}</DetailRow>
            <DetailRow label={t('track.affiliation')}>{affiliationLabel(affiliation)}</DetailRow>
            <DetailRow label={t('track.sidc')}>
              <code className="details__id">{show(p.sidc)}</code>
            </DetailRow>
            <DetailRow label={t('track.position')}>{formatLatLon(lon, lat)}</DetailRow>
            <DetailRow label={t('track.mgrs')}>{formatMgrs(lon, lat) ?? t('details.none')}</DetailRow>
            <DetailRow label={t('track.altitude')}>
              {alt === null ? t('details.none') : t('track.metres', { value: round(alt) })}
            </DetailRow>
            <DetailRow label={t('track.course')}>
              {course === null ? t('details.none') : t('track.degrees', { value: round(course) })}
            </DetailRow>
            <DetailRow label={t('track.speed')}>{speedText(num(p.speed))}</DetailRow>
            <DetailRow label={t('track.accuracy')}>
              {accuracy === null ? t('details.none') : t('track.accuracyValue', { value: round(accuracy) })}
            </DetailRow>
            <DetailRow label={t('track.footprint')}>
              {p.footprint ? t('track.footprintShown') : t('details.none')}
            </DetailRow>
            <DetailRow label={t('track.marking')}>
              <span data-testid="track-marking">{p.markingText}</span>
            </DetailRow>
            <DetailRow label={t('track.uid')}>
              <code className="details__id">{uid}</code>
            </DetailRow>
            {others.map(([k, v]) => (
              <DetailRow key={k} label={k}>
                {show(v)}
              </DetailRow>
            ))}
          </dl>
          <h3 className="details__subtitle">{t('track.provenance')}</h3>
          <dl className="details__list">
            <DetailRow label={t('track.organisation')}>{show(p.organisation)}</DetailRow>
            <DetailRow label={t('track.source')}>{show(p.source)}</DetailRow>
            <DetailRow label={t('track.observedAt')}>
              {formatUtcSeconds(p.observedAt) || t('details.none')}
            </DetailRow>
            <DetailRow label={t('track.staleAt')}>
              {formatUtcSeconds(p.staleAt) || t('details.none')}
            </DetailRow>
          </dl>
          <h3 className="details__subtitle">{t('track.trail')}</h3>
          <p className="track-trail" data-testid="track-trail" data-status={trail.status}>
            {trailText(trail)}
          </p>
          <button type="button" className="button button--secondary" onClick={() => onCentre(uid)}>
            {t('track.centre')}
          </button>
        </>
      )}
    </section>
  );
}
