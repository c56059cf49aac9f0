import { MeasureResult } from '../features/measure/MeasureResult';
import { NoticeToast } from '../features/zones/editing/NoticeToast';
import type { ZoneEditor } from '../features/zones/editing/useZoneEditor';
import { t } from '../i18n/t';

interface MapNoticesProps {
  measuring: boolean;
  measured: number | null;
  editor: ZoneEditor;
  replayZonesFailed: boolean;
  /** Why the zones could not be loaded, until they are. */
  loadError: string | null;
}

/** What the map page says over the map: the distance measured, an undoable deletion, failures. */
export function MapNotices({ measuring, measured, editor, replayZonesFailed, loadError }: MapNoticesProps) {
  return (
    <>
      {measuring && <MeasureResult metres={measured} />}
      {editor.notice && (
        <NoticeToast
          notice={editor.notice}
          onUndo={() => void editor.undoDelete()}
          onDismiss={editor.dismissNotice}
        />
      )}
      {replayZonesFailed && (
        <p className="map-notice map-notice--error" role="alert">
          {t('replay.zonesFailed')}
        </p>
      )}
      {loadError && (
        <p className="map-notice map-notice--error" role="alert">
          {loadError}
        </p>
      )}
    </>
  );
}
