import { useEffect } from 'react';
import { type FacilityFeature, mayKeepFacilities } from '../../../domain/facilities';
import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import { followLink, navigate, paths } from '../../app/router';
import { useDraftForm } from '../../app/useDraftForm';
import { t } from '../../i18n/t';
import { markingFromDraft } from '../zones/editing/markingDraft';
import { FacilityForm } from './FacilityForm';
import { facilitiesApi } from './facilitiesApi';
import { defaultFacilityDraft, facilityInput } from './facilityDraft';

interface NewFacilityPageProps {
  me: Me;
  zones: readonly ZoneFeature[];
  onMarkings(markings: readonly Marking[]): void;
  onCreated(feature: FacilityFeature): void;
}

/** Recording a facility; once recorded, its page. */
export function NewFacilityPage({ me, zones, onMarkings, onCreated }: NewFacilityPageProps) {
  const allowed = mayKeepFacilities(me.roles);
  return (
    <div className="page report-page" data-testid="facility-new-page">
      <header className="page__header">
        <h2 className="page__title">{t('facility.new.title')}</h2>
      </header>
      {allowed ? (
        <NewFacilityForm me={me} zones={zones} onMarkings={onMarkings} onCreated={onCreated} />
      ) : (
        <p role="alert">{t('facility.new.notAllowed')}</p>
      )}
    </div>
  );
}

function NewFacilityForm({ me, zones, onMarkings, onCreated }: NewFacilityPageProps) {
  const form = useDraftForm(
    () => defaultFacilityDraft(me),
    facilityInput,
    (detail) => t('facility.form.failed', { detail }),
  );

  // What is on screen is what is being written: the banner follows the marking chosen.
  useEffect(() => {
    onMarkings([markingFromDraft(form.draft.marking)]);
  }, [form.draft.marking, onMarkings]);

  const create = () =>
    form.send(async (input) => {
      const f = await facilitiesApi.create(input);
      onCreated(f);
      navigate(paths.facility(f.id));
    });

  return (
    <FacilityForm
      me={me}
      zones={zones}
      form={form}
      title={t('facility.new.title')}
      submitLabel={t('facility.form.create')}
      busyLabel={t('facility.form.creating')}
      onSubmit={() => void create()}
      cancel={
        <a className="button button--secondary" href={paths.notifications()} onClick={followLink}>
          {t('facility.form.cancel')}
        </a>
      }
    />
  );
}
