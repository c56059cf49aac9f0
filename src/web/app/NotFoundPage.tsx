import { t } from '../i18n/t';
import { followLink, paths } from './router';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="page">
      <p role="alert">{t('page.notFound', { path })}</p>
      <a href={paths.map} onClick={followLink}>
        {t('page.backToMap')}
      </a>
    </div>
  );
}
