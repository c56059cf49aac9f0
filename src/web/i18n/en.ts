/** English strings. Every user-visible text of the web client comes from here through `t()`. */
export const en = {
  'app.name': 'Concord',
  'app.tagline': 'Civil-military coordination centre',
  'app.loading': 'Loading…',
  'app.demoNotice': 'All demo data is synthetic and illustrative, never operational.',

  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.failed': 'Sign-in failed.',
  'login.missing': 'Enter your username and password.',

  'user.logout': 'Log out',
  'user.clearance': 'Cleared {clearance}',

  'clock.utc': 'UTC',
  'clock.local': 'Local',

  'live.connecting': 'Connecting…',
  'live.live': 'Live',
  'live.reconnecting': 'Reconnecting…',
  'live.offline': 'Offline',
  'live.label': 'Live feed status',

  'banner.label': 'Classification of the information on screen',

  'layers.title': 'Layers',
  'layers.toggle': 'Layers',
  'layers.all': 'All',
  'layers.none': 'None',
  'layers.legend': 'Zone kinds',
  'layers.results': 'Zones',
  'layers.noResults': 'No zone matches.',
  'layers.resultCount': '{shown} of {total} zones',

  'search.label': 'Search zones by name',
  'search.placeholder': 'Search by name…',

  'kind.ceasefire-line': 'Ceasefire line',
  'kind.withdrawal-line': 'Withdrawal line',
  'kind.buffer-zone': 'Buffer zone',
  'kind.humanitarian-zone': 'Humanitarian zone',
  'kind.crossing': 'Crossing',
  'kind.facility-area': 'Facility area',
  'kind.sector': 'Sector',
  'kind.named-area-of-interest': 'Named area of interest',
  'kind.restricted-area': 'Restricted area',

  'details.title': 'Zone details',
  'details.close': 'Close details',
  'details.kind': 'Kind',
  'details.version': 'Version',
  'details.validFrom': 'Valid from',
  'details.validTo': 'Valid to',
  'details.openEnded': 'Until further notice',
  'details.description': 'Description',
  'details.marking': 'Marking',
  'details.createdBy': 'Created by',
  'details.createdAt': 'Created at',
  'details.id': 'Identifier',
  'details.geometry': 'Geometry',
  'details.none': '—',
  'details.zoomTo': 'Zoom to zone',
  'details.gone': 'This zone is no longer in force or no longer released to you.',

  'history.title': 'Version history',
  'history.loading': 'Loading versions…',
  'history.failed': 'Could not load the version history: {detail}',
  'history.empty': 'No versions.',
  'history.version': 'Version {version}',
  'history.current': 'current',
  'history.by': 'by {name}',

  'map.label': 'Map of the zones',
  'map.pointer': 'Pointer',
  'map.centre': 'Centre',
  'map.latLon': 'Lat/Lon',
  'map.mgrs': 'MGRS',
  'map.basemapFailed': 'The basemap could not be loaded.',

  'zones.loadFailed': 'Could not load the zones: {detail}',

  'error.network': 'The server could not be reached.',
  'error.unexpected': 'Unexpected response from the server ({status}).',
  'error.sessionExpired': 'Your session has ended; sign in again.',
} as const;

export type MessageKey = keyof typeof en;
