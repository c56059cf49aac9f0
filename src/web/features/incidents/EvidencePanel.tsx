import { useCallback, useEffect, useId, useState } from 'react';
import type { Marking } from '../../../domain/marking';
import { TRACK_KINDS } from '../../../domain/tracks';
import { ApiError } from '../../app/api';
import { MarkingBadge } from '../../app/MarkingBadge';
import { formatUtc, t } from '../../i18n/t';
import { trackKindLabel } from '../tracks/labels';
import { type CustodyEntry, type EvidenceItem, type EvidenceSuggestion, evidenceApi } from './evidenceApi';
import { distanceText } from './labels';

interface EvidencePanelProps {
  incidentId: string;
  /** The incident's marking: an uploaded file is marked the same. */
  marking: Marking;
  canAdd: boolean;
  /** Merged as a duplicate: its evidence went with its reports to the incident it duplicates. */
  merged: boolean;
  /** Bumped when the incident changed: the list is fetched again. */
  version: number;
  onMarkings(markings: readonly Marking[]): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const kindText = (kind: string | null) =>
  kind && (TRACK_KINDS as readonly string[]).includes(kind)
    ? trackKindLabel(kind as (typeof TRACK_KINDS)[number])
    : (kind ?? '—');
const IMAGE = /^image\/(png|jpeg|gif|webp)$/;

function sizeText(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The evidence of an incident, its chain of custody, the upload form and the suggested tracks. */
export function EvidencePanel({
  incidentId,
  marking,
  canAdd: mayAdd,
  merged,
  version,
  onMarkings,
}: EvidencePanelProps) {
  const canAdd = mayAdd && !merged;
  const [items, setItems] = useState<EvidenceItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);

  const load = useCallback(() => {
    evidenceApi.list(incidentId).then(
      (list) => {
        setItems(list);
        setError(null);
      },
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 404 && !e.problem?.code?.includes('incident'))
          setMissing(true);
        else setError(t('evidence.loadFailed', { detail: message(e) }));
      },
    );
  }, [incidentId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version of the incident may bring evidence.
  useEffect(load, [load, version]);

  useEffect(() => {
    onMarkings(items ? items.map((i) => i.marking) : []);
  }, [items, onMarkings]);

  return (
    <section className="section" aria-labelledby="evidence-title" data-testid="evidence">
      <h3 id="evidence-title" className="section__title">
        {t('evidence.title')}
      </h3>
      {missing && <p className="muted">{t('evidence.unavailable')}</p>}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {items && items.length === 0 && (
        <p className="muted">{t(merged ? 'evidence.mergedAway' : 'evidence.empty')}</p>
      )}
      {items && items.length > 0 && (
        <ul className="evidence-list">
          {items.map((i) => (
            <EvidenceRow key={i.id} item={i} />
          ))}
        </ul>
      )}
      {canAdd && !missing && <UploadForm incidentId={incidentId} marking={marking} onAdded={load} />}
      {canAdd && !missing && <Suggestions incidentId={incidentId} items={items ?? []} onLinked={load} />}
    </section>
  );
}

function EvidenceRow({ item }: { item: EvidenceItem }) {
  const [custody, setCustody] = useState<CustodyEntry[] | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = () => {
    const next = !open;
    setOpen(next);
    if (next && custody === null)
      evidenceApi
        .custody(item.id)
        .then(setCustody, (e: unknown) => setError(t('evidence.custodyFailed', { detail: message(e) })));
  };
  const title =
    item.kind === 'file'
      ? (item.filename ?? item.id)
      : item.kind === 'track-segment'
        ? t('evidence.segment', {
            track: item.trackUid ?? '',
            from: formatUtc(item.from),
            to: formatUtc(item.to),
          })
        : (item.alertId ?? item.id);
  return (
    <li className="evidence-item" data-testid="evidence-item" data-kind={item.kind}>
      <div className="evidence-item__head">
        <span className="tag">{t(`evidence.kind.${item.kind}`)}</span>
        <span className="evidence-item__title">{title}</span>
        {item.size !== null && <span className="muted">{sizeText(item.size)}</span>}
      </div>
      {item.description && <p>{item.description}</p>}
      {item.kind === 'file' && item.mediaType && IMAGE.test(item.mediaType) && (
        <img
          className="evidence-item__preview"
          src={evidenceApi.contentUrl(item.id, true)}
          alt={t('evidence.preview', { name: item.filename ?? '' })}
          loading="lazy"
        />
      )}
      {item.sha256 && (
        <p className="evidence-item__hash">
          <span className="muted">{t('evidence.hash')}</span> <code>{item.sha256}</code>
        </p>
      )}
      <p className="muted">
        {t('evidence.addedBy', { who: item.addedBy?.displayName ?? '—', at: formatUtc(item.addedAt) })}
      </p>
      <div className="evidence-item__actions">
        <MarkingBadge text={item.markingText} />
        {item.kind === 'file' && (
          <a className="link-button" href={evidenceApi.contentUrl(item.id, false)} download>
            {t('evidence.download')}
          </a>
        )}
        <button type="button" className="link-button" aria-expanded={open} onClick={toggle}>
          {open ? t('evidence.custodyHide') : t('evidence.custodyShow')}
        </button>
      </div>
      {open && (
        <div className="custody" data-testid="custody">
          <h4 className="section__subtitle">{t('evidence.custody')}</h4>
          {error && <p className="error-text">{error}</p>}
          <ol className="custody__list">
            {(custody ?? []).map((c) => (
              <li key={c.id}>
                {t('evidence.custodyEntry', {
                  action: t(`evidence.custody.${c.action}`) ?? c.action,
                  who: c.actor?.displayName ?? c.holder ?? '—',
                  at: formatUtc(c.at),
                })}
                {c.note ? ` — ${c.note}` : ''}
              </li>
            ))}
          </ol>
        </div>
      )}
    </li>
  );
}

function UploadForm({
  incidentId,
  marking,
  onAdded,
}: {
  incidentId: string;
  marking: Marking;
  onAdded(): void;
}) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [inputKey, setInputKey] = useState(0);
  return (
    <form
      className="upload-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!file) return;
        setBusy(true);
        evidenceApi
          .upload(incidentId, file, description.trim(), marking)
          .then(
            (item) => {
              setStatus({ ok: true, text: t('evidence.uploaded', { name: item.filename ?? file.name }) });
              setFile(null);
              setDescription('');
              setInputKey((k) => k + 1);
              onAdded();
            },
            (err: unknown) =>
              setStatus({ ok: false, text: t('evidence.uploadFailed', { detail: message(err) }) }),
          )
          .finally(() => setBusy(false));
      }}
    >
      <h4 id={`${id}-title`} className="section__subtitle">
        {t('evidence.upload')}
      </h4>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-file`}>
          {t('evidence.file')}
        </label>
        <input
          key={inputKey}
          id={`${id}-file`}
          type="file"
          className="field__input"
          data-testid="evidence-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={`${id}-desc`}>
          {t('evidence.description')}
        </label>
        <input
          id={`${id}-desc`}
          className="field__input"
          maxLength={4000}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="form__actions">
        <button
          type="submit"
          className="button button--secondary"
          disabled={busy || !file}
          data-testid="evidence-upload"
        >
          {busy ? t('evidence.uploading') : t('evidence.uploadSubmit')}
        </button>
      </div>
      {status && (
        <p className={status.ok ? 'muted' : 'error-text'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </form>
  );
}

function Suggestions({
  incidentId,
  items,
  onLinked,
}: {
  incidentId: string;
  items: readonly EvidenceItem[];
  onLinked(): void;
}) {
  const [list, setList] = useState<EvidenceSuggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    evidenceApi.suggestions(incidentId).then(
      (s) => live && setList(s),
      (e: unknown) => live && setError(t('evidence.suggestionsFailed', { detail: message(e) })),
    );
    return () => {
      live = false;
    };
  }, [incidentId]);
  const linked = new Set(items.filter((i) => i.kind === 'track-segment').map((i) => i.trackUid));
  return (
    <div className="suggestions" data-testid="evidence-suggestions">
      <h4 className="section__subtitle">{t('evidence.suggestions')}</h4>
      <p className="field__hint">{t('evidence.suggestionsHint')}</p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {list && list.length === 0 && <p className="muted">{t('evidence.suggestionsNone')}</p>}
      <ol className="suggestions__list">
        {(list ?? []).map((s) => (
          <li key={s.uid} className="suggestion" data-testid="evidence-suggestion" data-uid={s.uid}>
            <div>
              <strong>
                {t('evidence.suggestion', { callsign: s.callsign ?? s.uid, kind: kindText(s.kind) })}
              </strong>
              <span className="muted">
                {' '}
                {t('evidence.closest', {
                  distance: distanceText(s.closestDistanceM),
                  at: formatUtc(s.closestAt),
                })}
                {s.footprintCovers ? `; ${t('evidence.footprint')}` : ''}
              </span>
            </div>
            {linked.has(s.uid) ? (
              <span className="tag">{t('evidence.linked')}</span>
            ) : (
              <button
                type="button"
                className="button button--secondary"
                disabled={busy !== null}
                data-testid="evidence-link"
                onClick={() => {
                  setBusy(s.uid);
                  evidenceApi
                    .linkSegment(incidentId, s)
                    .then(onLinked, (e: unknown) =>
                      setError(t('evidence.linkFailed', { detail: message(e) })),
                    )
                    .finally(() => setBusy(null));
                }}
              >
                {t('evidence.link')}
              </button>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
