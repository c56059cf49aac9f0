import type {
  Casualties,
  Finding,
  IncidentCategory,
  IncidentDetail,
  IncidentReportInput,
  ReporterKind,
} from '../domain/incidents.js';
import type { Marking } from '../domain/marking.js';
import type { Viewer } from '../domain/viewer.js';
import type { Db } from '../server/db/database.js';
import { incidentsService } from '../server/modules/incidents/index.js';

/**
 * Synthetic incidents of the week before the demo is loaded: invented, illustrative, never
 * operational. Each is submitted and walked through the workflow by the demo users, through the
 * same service the API uses, so that timelines, versions and four-eyes are real. Deterministic
 * apart from the clock: times are hours before load.
 */

const ALL: Marking = { classification: 'UNCLASSIFIED', releasableTo: ['ALL'] };
const COALITION: Marking = { classification: 'RESTRICTED', releasableTo: ['USA', 'GBR', 'FRA'] };
const USA_SECRET: Marking = { classification: 'SECRET', releasableTo: ['USA'] };

/** How far along the workflow each incident is walked. */
type Stage =
  | 'received'
  | 'triaged'
  | 'verifying'
  | 'review'
  | 'assessed'
  | 'notified'
  | 'responded'
  | 'closed'
  /** A duplicate of the incident before it, merged into it. */
  | 'merged';

interface DemoIncident {
  hoursAgo: number;
  /** Hours the observation window lasts, when the time is a window. */
  windowHours?: number;
  by: string;
  kind: ReporterKind;
  category: IncidentCategory;
  subtype: string;
  accused: string;
  alleging?: string;
  place: string;
  lat: number;
  lon: number;
  marking?: Marking;
  casualties?: Partial<Casualties>;
  narrative: string;
  stage: Stage;
  finding?: Finding;
}

const INCIDENTS: DemoIncident[] = [
  {
    hoursAgo: 150,
    by: 'liaison.pal',
    kind: 'party',
    category: 'fire-across-line',
    subtype: 'small-arms',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'Khan Younis, eastern edge',
    lat: 31.345,
    lon: 34.322,
    casualties: { injuredCivilians: 2 },
    narrative:
      'Residents report small-arms fire from the direction of the line towards farmland; two injured.',
    stage: 'closed',
    finding: 'partially-confirmed',
  },
  {
    hoursAgo: 140,
    by: 'liaison.isr',
    kind: 'party',
    category: 'indirect-fire',
    subtype: 'rocket',
    accused: 'PSE',
    alleging: 'ISR',
    place: 'Beit Hanoun',
    lat: 31.536,
    lon: 34.528,
    narrative: 'One rocket launch detected from the Beit Hanoun area; impact in open ground, no casualties.',
    stage: 'responded',
    finding: 'confirmed',
  },
  {
    hoursAgo: 130,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'incursion',
    subtype: 'ground-vehicle',
    accused: 'ISR',
    place: 'Kissufim road',
    lat: 31.372,
    lon: 34.37,
    narrative: 'Monitoring team observed two armoured vehicles about 400 m west of the withdrawal line.',
    stage: 'notified',
    finding: 'confirmed',
  },
  {
    hoursAgo: 120,
    windowHours: 2,
    by: 'un.logistics',
    kind: 'un',
    category: 'attack-on-aid',
    subtype: 'convoy',
    accused: 'UNKNOWN',
    place: 'Salah al-Din road, Deir al-Balah',
    lat: 31.42,
    lon: 34.355,
    casualties: { injuredUnknown: 1 },
    narrative: 'A food convoy was fired upon at the Deir al-Balah junction; one driver lightly injured.',
    stage: 'assessed',
    finding: 'cannot-determine',
  },
  {
    hoursAgo: 110,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'attack-on-aid',
    subtype: 'monitors',
    accused: 'PSE',
    place: 'Rafah, Tel al-Sultan',
    lat: 31.3,
    lon: 34.248,
    narrative: 'A marked monitoring vehicle was hit by stones and one round; team withdrew unharmed.',
    stage: 'review',
    finding: 'partially-confirmed',
  },
  {
    hoursAgo: 100,
    windowHours: 6,
    by: 'un.logistics',
    kind: 'un',
    category: 'obstruction-of-aid',
    subtype: 'denied-access',
    accused: 'ISR',
    place: 'Kerem Shalom crossing',
    lat: 31.226,
    lon: 34.284,
    narrative: 'Twelve trucks of medical supplies were refused entry for the day without a stated reason.',
    stage: 'verifying',
  },
  {
    hoursAgo: 96,
    by: 'liaison.pal',
    kind: 'party',
    category: 'air-strike',
    subtype: 'drone',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'Jabalia',
    lat: 31.531,
    lon: 34.484,
    casualties: { killedCivilians: 1, injuredCivilians: 3 },
    narrative: 'A drone strike hit a street in Jabalia; one civilian killed, three injured.',
    stage: 'verifying',
  },
  {
    hoursAgo: 90,
    by: 'liaison.isr',
    kind: 'party',
    category: 'weapons-in-restricted-zone',
    subtype: 'armed-personnel',
    accused: 'PSE',
    alleging: 'ISR',
    place: 'Shujaiyya',
    lat: 31.505,
    lon: 34.49,
    narrative: 'Armed men seen moving near the line east of Shujaiyya.',
    stage: 'triaged',
  },
  {
    hoursAgo: 84,
    windowHours: 12,
    by: 'liaison.pal',
    kind: 'party',
    category: 'demolition',
    subtype: 'residential',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'Bani Suheila',
    lat: 31.343,
    lon: 34.335,
    narrative: 'Several houses near the line were demolished overnight.',
    stage: 'triaged',
  },
  {
    hoursAgo: 80,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'fire-across-line',
    subtype: 'heavy-machine-gun',
    accused: 'ISR',
    place: 'Bureij',
    lat: 31.44,
    lon: 34.41,
    marking: COALITION,
    narrative: 'Aerial observation recorded heavy machine-gun fire from a position on the line.',
    stage: 'assessed',
    finding: 'confirmed',
  },
  {
    hoursAgo: 72,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'weapons-in-restricted-zone',
    subtype: 'heavy-weapons',
    accused: 'PSE',
    place: 'Maghazi',
    lat: 31.42,
    lon: 34.385,
    marking: COALITION,
    narrative: 'Imagery suggests a mortar position inside the restricted strip.',
    stage: 'verifying',
  },
  {
    hoursAgo: 70,
    by: 'usa.planner',
    kind: 'sensor',
    category: 'incursion',
    subtype: 'drone',
    accused: 'UNKNOWN',
    place: 'Gaza City, east',
    lat: 31.52,
    lon: 34.5,
    marking: USA_SECRET,
    narrative: 'An unidentified small drone crossed the line eastbound at low altitude.',
    stage: 'triaged',
  },
  {
    hoursAgo: 66,
    by: 'liaison.pal',
    kind: 'party',
    category: 'detention',
    subtype: 'civilians',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'Rafah',
    lat: 31.29,
    lon: 34.26,
    narrative: 'Three farmers detained near the line; whereabouts unknown.',
    stage: 'received',
  },
  {
    hoursAgo: 60,
    by: 'liaison.isr',
    kind: 'party',
    category: 'fire-across-line',
    subtype: 'sniper',
    accused: 'PSE',
    alleging: 'ISR',
    place: 'Khan Younis, Abasan',
    lat: 31.32,
    lon: 34.34,
    narrative: 'Sniper fire towards a patrol on the line; no injuries.',
    stage: 'received',
  },
  {
    hoursAgo: 55,
    by: 'fra.analyst',
    kind: 'osint',
    category: 'air-strike',
    subtype: 'fixed-wing',
    accused: 'ISR',
    place: 'Nuseirat',
    lat: 31.449,
    lon: 34.393,
    narrative: 'Videos posted online show an explosion in Nuseirat camp; aircraft noise audible.',
    stage: 'triaged',
  },
  {
    hoursAgo: 54,
    by: 'liaison.pal',
    kind: 'party',
    category: 'air-strike',
    subtype: 'fixed-wing',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'Nuseirat camp',
    lat: 31.451,
    lon: 34.396,
    casualties: { injuredCivilians: 5 },
    narrative: 'An air strike hit a building in Nuseirat camp; five injured.',
    stage: 'merged',
  },
  {
    hoursAgo: 48,
    windowHours: 4,
    by: 'un.logistics',
    kind: 'un',
    category: 'obstruction-of-aid',
    subtype: 'delay',
    accused: 'ISR',
    place: 'Kissufim crossing',
    lat: 31.376,
    lon: 34.384,
    narrative: 'Convoy held for four hours at the crossing for additional inspection.',
    stage: 'notified',
    finding: 'confirmed',
  },
  {
    hoursAgo: 40,
    by: 'liaison.isr',
    kind: 'party',
    category: 'indirect-fire',
    subtype: 'mortar',
    accused: 'PSE',
    alleging: 'ISR',
    place: 'Gaza City, Zeitoun',
    lat: 31.49,
    lon: 34.46,
    narrative: 'Two mortar rounds fired towards the line from Zeitoun.',
    stage: 'review',
    finding: 'unsubstantiated',
  },
  {
    hoursAgo: 36,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'demolition',
    subtype: 'infrastructure',
    accused: 'ISR',
    place: 'Rafah, water pumping station',
    lat: 31.3,
    lon: 34.3,
    marking: COALITION,
    narrative: 'A water pumping station near the line appears destroyed in new imagery.',
    stage: 'triaged',
  },
  {
    hoursAgo: 30,
    by: 'liaison.pal',
    kind: 'party',
    category: 'fire-across-line',
    subtype: 'tank-fire',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'al-Mawasi',
    lat: 31.33,
    lon: 34.28,
    narrative: 'Tank shell landed near tents in al-Mawasi.',
    stage: 'received',
  },
  {
    hoursAgo: 24,
    by: 'un.logistics',
    kind: 'un',
    category: 'attack-on-aid',
    subtype: 'facility',
    accused: 'UNKNOWN',
    place: 'Field hospital Khan Younis',
    lat: 31.347,
    lon: 34.3,
    casualties: { injuredCivilians: 4 },
    narrative: 'Shrapnel hit the perimeter of the field hospital; four patients injured.',
    stage: 'triaged',
  },
  {
    hoursAgo: 18,
    by: 'liaison.isr',
    kind: 'party',
    category: 'incursion',
    subtype: 'personnel',
    accused: 'PSE',
    alleging: 'ISR',
    place: 'Beit Hanoun, north-east',
    lat: 31.55,
    lon: 34.52,
    narrative: 'Four people crossed the line on foot towards the border fence.',
    stage: 'received',
  },
  {
    hoursAgo: 12,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'incursion',
    subtype: 'vessel',
    accused: 'UNKNOWN',
    place: 'off Gaza City',
    lat: 31.52,
    lon: 34.42,
    narrative: 'A fast boat entered the restricted maritime strip and turned back.',
    stage: 'received',
  },
  {
    hoursAgo: 8,
    by: 'liaison.pal',
    kind: 'party',
    category: 'fire-across-line',
    subtype: 'small-arms',
    accused: 'ISR',
    alleging: 'PSE',
    place: 'Beit Lahia',
    lat: 31.546,
    lon: 34.495,
    narrative: 'Gunfire towards fishermen returning to Beit Lahia.',
    stage: 'received',
  },
  {
    hoursAgo: 3,
    by: 'liaison.isr',
    kind: 'party',
    category: 'indirect-fire',
    subtype: 'rocket',
    accused: 'PSE',
    alleging: 'ISR',
    place: 'Rafah, south',
    lat: 31.28,
    lon: 34.25,
    narrative: 'Rocket launch detected from southern Rafah.',
    stage: 'received',
  },
  {
    hoursAgo: 14,
    by: 'usa.monitor',
    kind: 'monitor',
    category: 'obstruction-of-aid',
    subtype: 'monitoring-restricted',
    accused: 'ISR',
    place: 'Beit Hanoun, eastern checkpoint',
    lat: 31.537,
    lon: 34.53,
    narrative:
      'A monitoring team was turned back at the checkpoint and could not reach the reported demolition site.',
    stage: 'triaged',
  },
];

const ORDER: Stage[] = [
  'received',
  'triaged',
  'verifying',
  'review',
  'assessed',
  'notified',
  'responded',
  'closed',
];
const LIAISON_OF: Record<string, string> = { ISR: 'liaison.isr', PSE: 'liaison.pal' };

/** Submits the demo incidents and walks each to its stage; returns how many were opened. */
export async function loadDemoIncidents(
  db: Db,
  viewers: ReadonlyMap<string, Viewer>,
  now = Date.now(),
): Promise<number> {
  const incidents = incidentsService(db);
  const as = (username: string) => {
    const v = viewers.get(username);
    if (!v) throw new Error(`demo incidents need the demo user ${username}`);
    return v;
  };
  let previous: string | null = null;
  let count = 0;
  for (const def of INCIDENTS) {
    const observedAt = new Date(now - def.hoursAgo * 3600_000);
    const input: IncidentReportInput = {
      reporterKind: def.kind,
      accusedParty: def.accused,
      ...(def.alleging ? { allegingParty: def.alleging } : {}),
      observedAt: observedAt.toISOString(),
      ...(def.windowHours
        ? { observedTo: new Date(observedAt.getTime() + def.windowHours * 3600_000).toISOString() }
        : {}),
      timePrecision: def.windowHours ? 'hour' : 'minute',
      location: { type: 'Point', coordinates: [def.lon, def.lat] },
      locationPrecision: 'near',
      placeName: def.place,
      category: def.category,
      subtype: def.subtype,
      casualties: {
        killedCivilians: 0,
        killedUnknown: 0,
        injuredCivilians: 0,
        injuredUnknown: 0,
        ...def.casualties,
      },
      narrative: `${def.narrative} (Synthetic demo data.)`,
      ...(def.kind === 'party' || def.kind === 'osint'
        ? { grading: { reliability: 'C', credibility: 3 } }
        : {}),
      marking: def.marking ?? ALL,
    };
    const { incident } = await incidents.submit(as(def.by), input);
    count++;
    const id = incident.feature.id;
    let d: IncidentDetail = incident;
    const step = async (who: string, body: Omit<Parameters<typeof incidents.act>[2], 'version'>) => {
      d = await incidents.act(as(who), id, { ...body, version: d.feature.properties.version });
    };
    if (def.stage === 'merged' && previous) {
      await step('usa.monitor', {
        action: 'merge',
        duplicateOf: previous,
        note: 'Same strike as the OSINT report.',
      });
      continue;
    }
    previous = id;
    const reached = (s: Stage) => ORDER.indexOf(def.stage) >= ORDER.indexOf(s);
    // Only the admin holds SECRET//REL TO USA among those who may triage.
    if (reached('triaged'))
      await step(def.marking === USA_SECRET ? 'admin' : 'usa.monitor', { action: 'triage' });
    if (reached('verifying')) await step('fra.analyst', { action: 'start-verification' });
    if (reached('review')) {
      d = await incidents.saveAssessment(as('fra.analyst'), id, {
        version: d.feature.properties.version,
        finding: def.finding ?? 'cannot-determine',
        rationale: 'Reports cross-checked against the track record and imagery of the period (synthetic).',
      });
      await step('fra.analyst', { action: 'submit-for-review' });
    }
    if (reached('assessed')) await step('gbr.analyst', { action: 'approve' });
    if (reached('notified')) await step('usa.monitor', { action: 'notify-parties' });
    if (reached('responded')) {
      const liaison = LIAISON_OF[def.accused];
      if (liaison)
        await step(liaison, {
          action: 'record-response',
          response: 'The party takes note and disputes the finding.',
        });
    }
    if (reached('closed')) await step('usa.monitor', { action: 'close' });
  }
  return count;
}
