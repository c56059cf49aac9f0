import type { RefObject } from 'react';
import type { Marking } from '../../domain/marking';
import { hasPermission } from '../../domain/roles';
import type { ZoneFeature } from '../../domain/zones';
import { AlertsPanel } from '../features/alerts/AlertsPanel';
import type { AlertsModel } from '../features/alerts/useAlerts';
import type { useAlertsPanel } from '../features/alerts/useAlertsPanel';
import { TrackDetails } from '../features/tracks/TrackDetails';
import type { TrackFeature } from '../features/tracks/types';
import type { TrailState } from '../features/tracks/useTrackTrail';
import { EditorPanel } from '../features/zones/editing/EditorPanel';
import type { PreviewFeature } from '../features/zones/editing/ImportPanel';
import type { ZoneEditor } from '../features/zones/editing/useZoneEditor';
import { ZoneActions } from '../features/zones/editing/ZoneActions';
import { ZoneDetails } from '../features/zones/ZoneDetails';
import type { MapHandle } from '../map/MapView';
import type { Me } from './auth';

interface DetailsSheetProps {
  me: Me;
  mapRef: RefObject<MapHandle | null>;
  editing: boolean;
  editor: ZoneEditor;
  /** The zone being edited as the live picture has it now. */
  editedZone: ZoneFeature | undefined;
  onPreview(preview: PreviewFeature[]): void;
  alerts: AlertsModel;
  alertsPanel: ReturnType<typeof useAlertsPanel>;
  selectedTrackId: string | null;
  selectedTrack: TrackFeature | undefined;
  trail: TrailState;
  selectedId: string | null;
  selectedZone: ZoneFeature | undefined;
  onClose(): void;
  onHistoryMarkings(markings: Marking[]): void;
  canEdit: boolean;
  onBeforeEdit(): void;
}

/** The panel beside the map: the zone editor, else the alerts, else the selected track or zone. */
export function DetailsSheet({
  me,
  mapRef,
  editing,
  editor,
  editedZone,
  onPreview,
  alerts,
  alertsPanel,
  selectedTrackId,
  selectedTrack,
  trail,
  selectedId,
  selectedZone,
  onClose,
  onHistoryMarkings,
  canEdit,
  onBeforeEdit,
}: DetailsSheetProps) {
  return (
    <>
      {editing && (
        <aside className="workspace__details" data-testid="editor-sheet">
          <EditorPanel
            me={me}
            editor={editor}
            live={editedZone}
            onFinishDrawing={() => mapRef.current?.finishDrawing()}
            onUndoPoint={() => mapRef.current?.undoLastPoint()}
            onPreview={onPreview}
          />
        </aside>
      )}
      {!editing && alertsPanel.open && (
        <aside className="workspace__details">
          <AlertsPanel
            alerts={alerts}
            canAct={hasPermission(me.roles, 'alerts:act')}
            username={me.username}
            selectedId={alertsPanel.selectedId}
            onSelect={alertsPanel.pick}
            onCentre={alertsPanel.centreOn}
            onClose={() => alertsPanel.setOpen(false)}
          />
        </aside>
      )}
      {!editing && !alertsPanel.open && selectedTrackId && (
        <aside className="workspace__details">
          <TrackDetails
            uid={selectedTrackId}
            track={selectedTrack}
            trail={trail}
            onClose={onClose}
            onCentre={(uid) => mapRef.current?.centreOnTrack(uid)}
          />
        </aside>
      )}
      {!editing && !alertsPanel.open && selectedId && (
        <aside className="workspace__details">
          <ZoneDetails
            id={selectedId}
            zone={selectedZone}
            onClose={onClose}
            onZoomTo={(id) => mapRef.current?.zoomTo(id)}
            onMarkings={onHistoryMarkings}
            actions={
              canEdit && selectedZone ? (
                <ZoneActions zone={selectedZone} editor={editor} onBeforeEdit={onBeforeEdit} />
              ) : null
            }
          />
        </aside>
      )}
    </>
  );
}
