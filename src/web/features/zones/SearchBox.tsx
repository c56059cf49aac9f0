import { useId } from 'react';
import { t } from '../../i18n/t';

export function SearchBox({ value, onChange }: { value: string; onChange(v: string): void }) {
  const id = useId();
  return (
    <div className="search">
      <label htmlFor={id} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id={id}
        type="search"
        className="search__input"
        data-testid="search-input"
        placeholder={t('search.placeholder')}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && value) {
            e.stopPropagation();
            onChange('');
          }
        }}
      />
    </div>
  );
}
