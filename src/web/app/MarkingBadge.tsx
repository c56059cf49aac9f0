import { classificationOf, classificationTone } from './markings';

/** A marking as text on its classification colour, for a single record (banners cover the screen). */
export function MarkingBadge({ text }: { text: string }) {
  return (
    <span className={`marking-badge marking-badge--${classificationTone(classificationOf(text))}`}>
      {text}
    </span>
  );
}
