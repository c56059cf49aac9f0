import { t } from '../../i18n/t';

interface CrossingFieldProps {
  id: string;
  crossings: readonly { id: string; name: string }[];
  value: string;
  onChange(crossingId: string): void;
  /** A first choice "any crossing" (the value ""), for filters. */
  any?: boolean;
  required?: boolean;
}

/** The labelled crossing picker of the aid pages and forms. */
export function CrossingField({ id, crossings, value, onChange, any, required }: CrossingFieldProps) {
  return (
    <label className="field" htmlFor={id}>
      <span className="field__label">{t('aid.col.crossing')}</span>
      <select
        id={id}
        className="field__input"
        value={value}
        required={required}
        onChange={(e) => onChange(e.target.value)}
      >
        {any && <option value="">{t('aid.any')}</option>}
        {crossings.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
