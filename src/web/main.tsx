import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { openEarlyLive } from './app/earlyLive';
import { LIVE_LAYERS } from './app/liveLayers';
import { prefetchZones } from './features/zones/zonesApi';
import { t } from './i18n/t';
import './styles/tokens.css';
import './styles/base.css';
import './styles/login.css';
import './styles/swatch.css';
import './styles/shell.css';
import './styles/panels.css';
import './styles/map.css';
import './styles/tracks.css';
import './styles/editing.css';
import './styles/alerts.css';
import './styles/replay.css';
import './styles/incidents.css';
import './styles/aid.css';

document.title = t('app.name');
prefetchZones();
openEarlyLive(LIVE_LAYERS);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
