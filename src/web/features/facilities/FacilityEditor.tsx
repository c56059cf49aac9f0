import { useEffect } from 'react';
import type { FacilityFeature } from '../../../domain/facilities';
import type { Marking } from '../../../domain/marking';
import type { ZoneFeature } from '../../../domain/zones';
import type { Me } from '../../app/auth';
import { useDraftForm } from '../../app/useDraftForm';
import { t } from '../../i18n/t';
import { markingFromDraft } from '../zones/editing/markingDraft';
import { FacilityForm } from './FacilityForm';
import type { FacilityChanges } from './facilitiesApi';
import { draftFromFacility, facilityChanges } from './facilityDraft';

interface FacilityEditorProps {
  me: Me;
  zones: readonly ZoneFeature[];
  /** The facility as it was when the form opened: its version is the one the change is based on. */
  facility: FacilityFeature;
  /** The version shown on the page now, which the live feed may have moved on. */
  currentVersion: number;
  /** Sends the change; throws what the form should show beside its fields. */
  save(version: number, changes: FacilityChanges): Promise<void>;
  onCancel(): void;
  onMarking(marking: Marking): void;
}

/** Changing a facility: its fields filled in, only what changed is sent, with the version seen. */
export function FacilityEditor({
  me,
  zones,
  facility,
  currentVersion,
  save,
  onCancel,
  onMarking,
}: FacilityEditorProps) {
  const form = useDraftForm(
    () => draftFromFacility(facility),
    (d) => facilityChanges(facility, d),
    (detail) => t('facility.form.failed', { detail }),
  );
  const seen = facility.properties.version;

  useEffect(() => {
    onMarking(markingFromDraft(form.draft.marking));
  }, [form.draft.marking, onMarking]);

  return (
    <FacilityForm
      me={me}
      zones={zones}
      form={form}
      title={t('facility.editTitle')}
      showTitle
      submitLabel={t('facility.form.save')}
      busyLabel={t('facility.form.saving')}
      onSubmit={() => void form.send((changes) => save(seen, changes))}
      cancel={
        <button
          type="button"
          className="button button--secondary"
          disabled={form.busy}
          data-testid="facility-cancel"
          onClick={onCancel}
        >
          {t('facility.form.cancel')}
        </button>
      }
      warning={
        // Saving now would be refused: said before the person spends time on the form.
        currentVersion > seen && (
          <p className="conflict" role="status" data-testid="facility-stale">
            {t('facility.staleWhileEditing', { version: currentVersion })}
          </p>
        )
      }
    />
  );
}
