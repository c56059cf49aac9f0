import type { ZoneFeature } from '../../../../domain/zones';
import type { Me } from '../../../app/auth';
import { t } from '../../../i18n/t';
import { kindLabel } from '../kinds';
import { ConflictNotice } from './ConflictNotice';
import { ChooseKindPanel, DrawingPanel } from './DrawPanels';
import { GeometryPanel } from './GeometryPanel';
import { ImportPanel, type PreviewFeature } from './ImportPanel';
import type { ZoneEditor } from './useZoneEditor';
import { ZoneForm } from './ZoneForm';
import { formValuesOf, geometryTypeOf, newZoneValues } from './zoneValues';

function vertexCount(g: unknown): number {
  const visit = (c: unknown): number =>
    Array.isArray(c) ? (typeof c[0] === 'number' ? 1 : c.reduce((n: number, x) => n + visit(x), 0)) : 0;
  return visit((g as { coordinates?: unknown } | null)?.coordinates);
}

interface EditorPanelProps {
  me: Me;
  editor: ZoneEditor;
  /** The zone being edited as the live feed has it now, to notice someone else's change early. */
  live: ZoneFeature | undefined;
  onFinishDrawing(): void;
  onUndoPoint(): void;
  onPreview(features: PreviewFeature[]): void;
}

/** The side panel (a sheet on phones) for whatever step of zone editing is under way. */
export function EditorPanel({ me, editor, live, onFinishDrawing, onUndoPoint, onPreview }: EditorPanelProps) {
  const s = editor.state;
  switch (s.step) {
    case 'idle':
      return null;
    case 'choose':
      return <ChooseKindPanel state={s} editor={editor} />;
    case 'drawing':
      return <DrawingPanel state={s} editor={editor} onFinish={onFinishDrawing} onUndoPoint={onUndoPoint} />;
    case 'create':
      return (
        <section className="panel editor-panel">
          <ZoneForm
            me={me}
            title={t('form.newTitle', { kind: kindLabel(s.kind) })}
            geometryType={geometryTypeOf(s.geometry)}
            initial={newZoneValues(me, s.kind)}
            onSubmit={editor.submitCreate}
            onCancel={editor.cancel}
            onKindChange={editor.setKind}
          >
            <p className="field__hint">
              {t('form.drawnShape', { shape: geometryTypeOf(s.geometry), count: vertexCount(s.geometry) })}
            </p>
          </ZoneForm>
        </section>
      );
    case 'edit-details': {
      const p = s.zone.properties;
      const newer = live && live.properties.version > p.version ? live.properties.version : null;
      const conflict = s.conflict ?? newer;
      return (
        <section className="panel editor-panel">
          <ZoneForm
            // A reload after a conflict starts the form again from the version now in force.
            key={`${String(s.zone.id)}@${p.version}`}
            me={me}
            title={t('form.editTitle', { name: p.name })}
            geometryType={geometryTypeOf(s.zone.geometry)}
            initial={formValuesOf(s.zone)}
            inForceSince={p.validFrom}
            onSubmit={editor.submitEdit}
            onCancel={editor.cancel}
          >
            <p className="field__hint">{t('form.editVersion', { version: p.version })}</p>
            {conflict !== null && (
              <ConflictNotice version={conflict} onReload={editor.reload} refusals={s.refusals} />
            )}
            {s.reloaded && conflict === null && (
              <p className="notice" role="status">
                {t('conflict.reloaded', { version: p.version })}
              </p>
            )}
          </ZoneForm>
        </section>
      );
    }
    case 'edit-geometry': {
      const newer =
        live && live.properties.version > s.zone.properties.version ? live.properties.version : null;
      return <GeometryPanel state={s} editor={editor} conflict={s.conflict ?? newer} />;
    }
    case 'import':
      return <ImportPanel me={me} onPreview={onPreview} onClose={editor.cancel} />;
  }
}
