import type { ZoneFeature, ZoneKind } from '../../domain/zones';
import { ConvoyLayerToggle } from '../features/aid/ConvoyLayerToggle';
import { IncidentLayerToggle } from '../features/incidents/IncidentLayerToggle';
import { AidLayerToggle } from '../features/notifications/AidLayerToggle';
import type { useAidMap } from '../features/notifications/useAidMap';
import { TrackKinds } from '../features/tracks/TrackKinds';
import { TrackList } from '../features/tracks/TrackList';
import type { useTracks } from '../features/tracks/useTracks';
import { LayerPanel } from '../features/zones/LayerPanel';
import type { LayerToggles } from './useLayerToggles';

interface LayerSheetProps {
  toggles: LayerToggles;
  counts: ReadonlyMap<ZoneKind, number>;
  shown: readonly ZoneFeature[];
  total: number;
  selectedId: string | null;
  onPick(id: string): void;
  incidentCount: number;
  aid: ReturnType<typeof useAidMap>;
  convoyCount: number;
  tracks: ReturnType<typeof useTracks>;
  selectedTrackId: string | null;
  onPickTrack(uid: string): void;
}

/** The side of the map page: every layer on or off with its legend, the search, zones and tracks found. */
export function LayerSheet({
  toggles,
  counts,
  shown,
  total,
  selectedId,
  onPick,
  incidentCount,
  aid,
  convoyCount,
  tracks,
  selectedTrackId,
  onPickTrack,
}: LayerSheetProps) {
  return (
    <aside className="workspace__side" id="layer-sheet">
      <LayerPanel
        counts={counts}
        visible={toggles.visible}
        onToggle={toggles.toggleKind}
        onShowAll={toggles.showAllKinds}
        query={toggles.query}
        onQuery={toggles.setQuery}
        shown={shown}
        total={total}
        selectedId={selectedId}
        onPick={onPick}
        incidents={
          <>
            <IncidentLayerToggle
              count={incidentCount}
              visible={toggles.incidentsVisible}
              onToggle={toggles.toggleIncidents}
            />
            <AidLayerToggle
              counts={{ facilities: aid.state.facilities.length, notifications: aid.notificationCount }}
              visible={aid.visible}
              onToggle={aid.toggle}
            />
            <ConvoyLayerToggle
              count={convoyCount}
              visible={toggles.convoysVisible}
              onToggle={toggles.toggleConvoys}
            />
          </>
        }
        tracks={
          <TrackKinds
            counts={tracks.counts}
            visible={tracks.visible}
            onToggle={tracks.toggle}
            onShowAll={tracks.showAll}
          />
        }
        trackResults={
          <TrackList
            tracks={tracks.shown}
            total={tracks.tracks.length}
            selectedId={selectedTrackId}
            onPick={onPickTrack}
          />
        }
      />
    </aside>
  );
}
