import { t } from '../i18n/t';
import { classificationOf, classificationTone } from './markings';

/**
 * The classification banner shown at the top and bottom of every screen, as marking rules require:
 * the highest classification (and common releasability) of everything displayed.
 */
export function ClassificationBanner({ text, position }: { text: string; position: 'top' | 'bottom' }) {
  const tone = classificationTone(classificationOf(text));
  return (
    <div
      className={`banner banner--${tone} banner--${position}`}
      data-testid={`banner-${position}`}
      title={t('banner.label')}
      aria-hidden={position === 'bottom' ? true : undefined}
    >
      {text}
    </div>
  );
}
