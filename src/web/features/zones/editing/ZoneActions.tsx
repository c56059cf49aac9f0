import type { ZoneFeature } from '../../../../domain/zones';
import { t } from '../../../i18n/t';
import type { ZoneEditor } from './useZoneEditor';

/** What a planner or administrator may do with the zone shown in the details panel. */
export function ZoneActions({
  zone,
  editor,
  onBeforeEdit,
}: {
  zone: ZoneFeature;
  editor: ZoneEditor;
  /** Geometry editing needs the map's pointer: other tools give way. */
  onBeforeEdit(): void;
}) {
  return (
    <div className="zone-actions">
      <button
        type="button"
        className="button button--secondary"
        data-testid="edit-details"
        onClick={() => editor.startEditDetails(zone)}
      >
        {t('actions.editDetails')}
      </button>
      <button
        type="button"
        className="button button--secondary"
        data-testid="edit-geometry"
        onClick={() => {
          onBeforeEdit();
          editor.startEditGeometry(zone);
        }}
      >
        {t('actions.editGeometry')}
      </button>
      <button
        type="button"
        className="button button--danger-outline"
        data-testid="delete-zone"
        onClick={() => editor.requestDelete(zone)}
      >
        {t('actions.delete')}
      </button>
    </div>
  );
}
