import { useEffect, useState } from 'react';
import { t } from '../i18n/t';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** UTC is the centre's working time; local time is shown beside it for the people in the room. */
export function Clock() {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    // Tick on the second boundary so the display never lags the real second by up to a second.
    const tick = () => {
      setNow(new Date());
      timer = setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    timer = setTimeout(tick, 1000 - (Date.now() % 1000));
    return () => clearTimeout(timer);
  }, []);
  const utc = `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}Z`;
  const local = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  return (
    <div className="clock" data-testid="clock">
      <time className="clock__utc" dateTime={now.toISOString()}>
        <span className="clock__label">{t('clock.utc')}</span> {utc}
      </time>
      <span className="clock__local">
        <span className="clock__label">{t('clock.local')}</span> {local}
      </span>
    </div>
  );
}
