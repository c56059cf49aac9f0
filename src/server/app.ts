import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { AID_IMPORTS_LAYER } from '../domain/aid-imports.js';
import { ALERTS_LAYER } from '../domain/alerts.js';
import { NOTIFICATIONS_LAYER } from '../domain/deconfliction.js';
import type { ChangeEvent } from '../domain/events.js';
import { FACILITIES_LAYER } from '../domain/facilities.js';
import { INCIDENTS_LAYER } from '../domain/incidents.js';
import { TRACKS_LAYER } from '../domain/tracks.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { createAidDashboard } from './modules/aid-dashboard/index.js';
import { createAidImport } from './modules/aid-import/index.js';
import { type AlertsOptions, type AlertsService, createAlerts } from './modules/alerts/index.js';
import { authRoutes, LoginLimiter } from './modules/auth/index.js';
import { createConsignments } from './modules/consignments/index.js';
import { createCrossings } from './modules/crossings/index.js';
import { createEvidence } from './modules/evidence/index.js';
import { createFacilities } from './modules/facilities/index.js';
import { applyZoneEvent, GeofenceEngine, loadFenceZones } from './modules/geofence/index.js';
import { healthRoutes } from './modules/health/index.js';
import { identitiesRoutes, identitiesService } from './modules/identities/index.js';
import { createIncidents, type IncidentsService } from './modules/incidents/index.js';
import { DEFAULT_HUB_OPTIONS, type HubOptions, LiveHub, liveRoutes } from './modules/live/index.js';
import { createNotifications, type NotificationCorrelator } from './modules/notifications/index.js';
import { reportsRoutes, reportsService } from './modules/reports/index.js';
import {
  HistoryKeeper,
  TrackEngine,
  TrackFollower,
  type TracksService,
  trackStreamRoute,
  tracksRoutes,
  tracksService,
} from './modules/tracks/index.js';
import { ZONES_LAYER, zonesRoutes, zonesService } from './modules/zones/index.js';
import { credentialsOf, registerAuth } from './platform/auth.js';
import { Problem, registerErrorHandling, sendProblem } from './platform/errors.js';
import { EventRelay, eventsAfter, lastEventIdUpTo } from './platform/events.js';
import { sameOriginOrToken } from './platform/origin.js';
import { validatorCompiler } from './platform/validation.js';
import { registerWebClient } from './platform/web-client.js';
import { WindowTicker } from './platform/window-ticker.js';

export const VERSION = '0.1.0';
/**
 * Pure movements reach the `tracks` rows every 10 s: at 20,000 tracks, writing them every second
 * cost about a tenth of the server's time and much of PostgreSQL's (ADR 0007).
 */
const TRACK_STATE_MS = 10_000;

export interface BuiltApp {
  app: FastifyInstance;
  relay: EventRelay;
  hub: LiveHub;
  tracks: TracksService;
  /** Alerts: the track engine raises into it; tests raise directly. */
  alerts: AlertsService;
  incidents: IncidentsService;
  /** Raises "notified site affected" alerts from incident and alert events; tests wait on it. */
  correlator: NotificationCorrelator;
}

export interface AppOptions {
  /** How often tracks past their stale time are announced as gone (tests shorten it). */
  trackSweepMs?: number;
  /** How often moved tracks' rows are written (TrackEngine); the history has every move at once. */
  trackStateMs?: number;
  zoneActivationMs?: number;
  /** Alerts: dedup window, webhook backoff and polling (tests shorten them). */
  alerts?: AlertsOptions;
}

/** Builds the whole server without listening: tests use app.inject() or listen on port 0. */
export async function buildApp(
  config: Config,
  db: Db,
  log: Logger,
  hubOptions?: Partial<HubOptions>,
  options: AppOptions = {},
): Promise<BuiltApp> {
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => crypto.randomUUID(),
    trustProxy: false,
    // Errors the router raises before any handler (an over-long id, a malformed URL) are problems too.
    frameworkErrors: (err, req, reply) => {
      void sendProblem(
        reply,
        req,
        new Problem(err.statusCode ?? 400, 'bad-request', 'Bad request', err.message),
      );
    },
  });

  registerErrorHandling(app);
  app.setValidatorCompiler(validatorCompiler());
  // gzip only: on-the-fly Brotli of the 3.6 MB basemap costs more CPU than it saves here.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 1 << 20 } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Concord API',
        version: VERSION,
        description: 'The common picture of a civil-military coordination centre.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'concord_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  // An empty JSON body (a DELETE from a client that always sends content-type) is no body, not an error.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    ['application/json', 'application/geo+json'],
    { parseAs: 'string' },
    (req, body, done) => {
      if (body.length === 0) return done(null, undefined);
      return json(req, body as string, done);
    },
  );

  const identities = identitiesService(db, config.sessionTtlHours);
  const zones = zonesService(db);
  const engine = new TrackEngine(
    db,
    log.child({ component: 'tracks' }),
    undefined,
    options.trackStateMs ?? TRACK_STATE_MS,
  );
  await engine.start();
  const follower = new TrackFollower(db, engine, log.child({ component: 'tracks' }));
  await follower.start();
  const tracks = tracksService(db, engine);
  // Alerts: service, webhooks and their delivery worker (started below, stopped on close).
  // Incidents: alerts of a kind the ceasefire forbids open automatic incidents once stored.
  const incidents = createIncidents(db, log.child({ component: 'incidents' }));
  const alerts = createAlerts(db, log.child({ component: 'alerts' }), {
    ...options.alerts,
    onRaised: incidents.onAlertsRaised,
  });
  const facilities = createFacilities(db);
  const notifications = createNotifications(db, alerts.service, log.child({ component: 'notifications' }), {
    correlationRadiusM: config.aidCorrelationRadiusM,
  });
  registerAuth(app, identities);
  const crossings = createCrossings(db, log.child({ component: 'aid' }));
  const consignments = createConsignments(db, engine);

  const aidImport = createAidImport(db, log.child({ component: 'aid-import' }));
  const relay = new EventRelay(db, log.child({ component: 'relay' }));
  await relay.start();
  const hub = new LiveHub(
    relay,
    {
      [ZONES_LAYER]: async (viewer, bbox) => (await zones.list(viewer, { bbox })).features,
      [TRACKS_LAYER]: async (viewer, bbox) => tracks.list(viewer, { bbox }).features,
      [ALERTS_LAYER]: alerts.liveSource,
      [INCIDENTS_LAYER]: incidents.liveSource,
      ...crossings.liveSources,
      ...consignments.liveSources,
      [FACILITIES_LAYER]: facilities.liveSource,
      [NOTIFICATIONS_LAYER]: notifications.liveSource,
      [AID_IMPORTS_LAYER]: aidImport.liveSource,
    },
    {
      after: (viewer, afterId, limit) => db.asViewer(viewer, (tx) => eventsAfter(tx, afterId, limit)),
      lastVisible: (viewer, upTo) => db.asViewer(viewer, (tx) => lastEventIdUpTo(tx, upTo)),
    },
    {
      ...DEFAULT_HUB_OPTIONS,
      ...hubOptions,
      volatileLayers: [TRACKS_LAYER],
      revisionOf: { [TRACKS_LAYER]: (uid) => engine.revOf(uid) },
    },
  );
  engine.hooks.publish = (changes) => hub.publishVolatile(changes);
  // Every observation is checked against the zone versions in force; zone edits reach the
  // geofence through the same events that reach live maps.
  const fence = new GeofenceEngine();
  let early: ChangeEvent[] | null = [];
  relay.on('event', (e) => (early ? early.push(e) : applyZoneEvent(fence, e)));
  // Incidents and alerts near a notified site or route raise "notified site affected" alerts.
  relay.on('event', notifications.correlator.onEvent);
  fence.setZones(await loadFenceZones(db));
  for (const e of early) applyZoneEvent(fence, e);
  early = null;
  fence.prepare();
  engine.hooks.evaluate = (track, pos) => fence.evaluate(track, pos);
  engine.hooks.raise = (candidates) => alerts.service.raise(candidates);
  // Time itself changes the picture: tracks go stale, zone versions come into force or end.
  const history = new HistoryKeeper(db, log.child({ component: 'tracks' }), config.historyDays);
  history.start();
  const staleSweep = setInterval(() => engine.sweepStale(), options.trackSweepMs ?? 1000);
  staleSweep.unref();
  const tickers = [
    new WindowTicker(
      'zone versions came into force',
      (since, now) => zones.announceActivations(since, now),
      log,
      options.zoneActivationMs ?? 5000,
    ),
  ];
  for (const t of tickers) t.start();
  alerts.start();

  await app.register(
    async (api) => {
      await api.register(healthRoutes(db, VERSION));
      await api.register(authRoutes(identities, new LoginLimiter(), config.secureCookies));
      await api.register(identitiesRoutes(identities));
      await api.register(zonesRoutes(zones));
      await api.register(tracksRoutes(tracks));
      await api.register(trackStreamRoute(tracks, sameOriginOrToken));
      await api.register(alerts.routes);
      await api.register(incidents.routes);
      await api.register(facilities.routes);
      await api.register(notifications.routes);
      await api.register(
        createEvidence(db, log.child({ component: 'evidence' }), {
          dir: config.evidenceDir,
          maxBytes: config.evidenceMaxBytes,
        }).routes,
      );
      await api.register(crossings.routes);
      await api.register(consignments.routes);
      await api.register(createAidDashboard(db).routes);
      await api.register(reportsRoutes(reportsService(db, zones, config.report)));
      await api.register(aidImport.routes);
      await api.register(liveRoutes(hub, (req) => credentialsOf(identities, req)));
      api.get('/config', { schema: { tags: ['health'], summary: 'Settings the web client needs' } }, () => ({
        tileUrl: config.tileUrl,
        version: VERSION,
      }));
    },
    { prefix: '/api/v1' },
  );

  registerWebClient(app, config.webDir);
  app.addHook('onClose', async () => {
    hub.close();
    await aidImport.close();
    clearInterval(staleSweep);
    history.stop();
    await Promise.all(tickers.map((t) => t.stop()));
    await follower.stop();
    await engine.stop();
    await alerts.stop();
    await incidents.stop();
    await relay.stop();
    await notifications.stop();
  });
  return {
    app,
    relay,
    hub,
    tracks,
    alerts: alerts.service,
    incidents: incidents.service,
    correlator: notifications.correlator,
  };
}
