import { useEffect } from 'react';
import { useToasts, type Toast } from '../../state/toasts';
import { Icon } from './Icon';

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useToasts((s) => s.dismiss);
  useEffect(() => {
    const t = setTimeout(() => dismiss(toast.id), toast.kind === 'error' ? 7000 : 3500);
    return () => clearTimeout(t);
  }, [toast, dismiss]);
  return (
    <div className={`toast toast--${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={toast.kind}>
      <Icon name={toast.kind === 'error' ? 'alert' : 'check'} size={16} className="toast__icon" />
      <div className="toast__body">
        <div className="toast__message">{toast.message}</div>
        {toast.hint && <div className="toast__hint">{toast.hint}</div>}
      </div>
      <button type="button" className="btn btn--ghost btn--icon btn--sm" onClick={() => dismiss(toast.id)} aria-label="Dismiss notification">
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}
