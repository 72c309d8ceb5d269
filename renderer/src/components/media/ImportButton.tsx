import { useId } from 'react';
import { importFiles } from '../../actions/media';
import { useSession } from '../../state/session';
import { Icon } from '../common/Icon';

/** A real, focusable file input (visually hidden) behind a button-styled label. */
export function ImportButton({ compact }: { compact?: boolean }) {
  const id = useId();
  const importing = useSession((s) => s.importing);
  return (
    <span className="import-button">
      <input
        id={id}
        type="file"
        multiple
        accept="video/*,audio/*,image/*,.mp4,.mov,.mkv,.webm,.wav,.mp3,.m4a,.aac,.flac,.ogg,.png,.jpg,.jpeg,.webp"
        className="visually-hidden"
        data-testid="import-input"
        disabled={!!importing}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          void importFiles(files);
        }}
      />
      <label htmlFor={id} className={compact ? 'btn btn--sm' : 'btn btn--primary'} data-testid="import-button">
        <Icon name="upload" size={compact ? 14 : 16} />
        {compact ? 'Import' : 'Import media…'}
      </label>
    </span>
  );
}
