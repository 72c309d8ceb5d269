import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

/**
 * A modal on the native <dialog>: focus is trapped and Escape closes it. Focus returns
 * to whatever had it when the dialog opened.
 */
export function Modal({
  title,
  onClose,
  children,
  footer,
  testId,
  wide,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    const cancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    d.addEventListener('cancel', cancel);
    return () => {
      d.removeEventListener('cancel', cancel);
      if (d.open) d.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'modal modal--wide' : 'modal'} data-testid={testId} aria-label={title}>
      <header className="modal__header">
        <h2 className="modal__title">{title}</h2>
        <button type="button" className="btn btn--ghost btn--icon" onClick={onClose} aria-label="Close" data-testid="modal-close">
          <Icon name="close" />
        </button>
      </header>
      <div className="modal__body">{children}</div>
      {footer && <footer className="modal__footer">{footer}</footer>}
    </dialog>
  );
}
