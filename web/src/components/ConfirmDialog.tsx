import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A modal question before something that cannot be undone (a native <dialog>: focus stays
 * inside, Escape cancels). Render it only while asking; Cancel has the focus at first.
 */
export function ConfirmDialog(props: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  busyLabel?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open && typeof d.showModal === "function") d.showModal();
    cancelRef.current?.focus();
    return () => {
      if (d.open) d.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      data-testid={props.testId ?? "confirm-dialog"}
      onCancel={(e) => {
        e.preventDefault();
        if (!props.busy) props.onCancel();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <div className="btn-row confirm-actions">
        <button ref={cancelRef} type="button" className="btn" onClick={props.onCancel} disabled={props.busy}>
          {t("app.cancel")}
        </button>
        <button type="button" className="btn btn-danger-solid" onClick={props.onConfirm} disabled={props.busy} data-testid="confirm-yes">
          {props.busy ? props.busyLabel ?? props.confirmLabel : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
