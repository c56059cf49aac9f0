import {
  DEFAULT_PARTIES,
  type NotificationInput,
  type NotificationKind,
  type NotificationPriority,
} from '../../../domain/deconfliction';
import type { Me } from '../../app/auth';
import { t } from '../../i18n/t';
import { isoToLocal, localToIso } from '../incidents/filter';
import { defaultMarkingDraft, type MarkingDraft, markingFromDraft } from '../zones/editing/markingDraft';

/** The notification form's values as typed. */
export interface NotificationDraft {
  kind: NotificationKind;
  title: string;
  priority: NotificationPriority;
  noticeOnly: boolean;
  lat: string;
  lon: string;
  route: [number, number][];
  facilityId: string;
  windowStart: string;
  windowEnd: string;
  vehicles: string;
  personnel: string;
  parties: string[];
  details: string;
  marking: MarkingDraft;
}

/**
 * A site notified two days ahead (the routine lead time), told to both parties, released to all:
 * the parties' liaisons must be able to read it.
 */
export function defaultNotificationDraft(me: Me, now = new Date()): NotificationDraft {
  const base = defaultMarkingDraft(me);
  const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000 + 48 * 3_600_000);
  return {
    kind: 'movement',
    title: '',
    priority: 'routine',
    noticeOnly: false,
    lat: '',
    lon: '',
    route: [],
    facilityId: '',
    windowStart: isoToLocal(start.toISOString()),
    windowEnd: '',
    vehicles: '',
    personnel: '',
    parties: [...DEFAULT_PARTIES],
    details: '',
    marking: { ...base, selected: new Set([...base.selected, 'ALL']) },
  };
}

const count = (s: string) => (s.trim() === '' ? undefined : Math.max(0, Math.floor(Number(s) || 0)));

/** The input the server takes, or what is missing in words. */
export function notificationInput(d: NotificationDraft): { input: NotificationInput } | { problem: string } {
  if (!d.title.trim()) return { problem: t('notifications.form.needTitle') };
  const windowStart = localToIso(d.windowStart);
  if (!windowStart) return { problem: t('notifications.form.needStart') };
  if (d.parties.length === 0) return { problem: t('notifications.form.needParty') };
  let geometry: NotificationInput['geometry'];
  if (d.kind === 'movement') {
    if (d.route.length < 2) return { problem: t('notifications.form.needRoute') };
    geometry = { type: 'LineString', coordinates: d.route };
  } else {
    const lon = Number(d.lon);
    const lat = Number(d.lat);
    if (d.lon.trim() === '' || d.lat.trim() === '' || !Number.isFinite(lon) || !Number.isFinite(lat))
      return { problem: t('notifications.form.needSite') };
    geometry = { type: 'Point', coordinates: [lon, lat] };
  }
  const windowEnd = localToIso(d.windowEnd);
  const vehicles = count(d.vehicles);
  const personnel = count(d.personnel);
  return {
    input: {
      kind: d.kind,
      title: d.title.trim(),
      priority: d.priority,
      noticeOnly: d.noticeOnly,
      geometry,
      windowStart,
      ...(windowEnd ? { windowEnd } : {}),
      ...(d.facilityId && d.kind === 'static-site' ? { facilityId: d.facilityId } : {}),
      ...(vehicles !== undefined ? { vehicles } : {}),
      ...(personnel !== undefined ? { personnel } : {}),
      parties: d.parties,
      ...(d.details.trim() ? { details: d.details.trim() } : {}),
      marking: markingFromDraft(d.marking),
    },
  };
}
