import { useState } from "react";
import { Dialog } from "./dialog.tsx";
import { ErrorNotice } from "./status.tsx";

/**
 * Asks before something that cannot be undone: the action runs on "confirmLabel", and its error,
 * if any, stays in the dialog so the person can retry or cancel.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => Promise<unknown>;
}) {
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const change = (next: boolean) => {
    if (!next) setError(null);
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={change} title={title} description={description}>
      <ErrorNotice error={error} />
      <div className="row dialog-actions">
        <button
          type="button"
          className="danger"
          disabled={pending}
          onClick={async () => {
            setError(null);
            setPending(true);
            try {
              await onConfirm();
              change(false);
            } catch (caught) {
              setError(caught);
            } finally {
              setPending(false);
            }
          }}
        >
          {pending ? `${confirmLabel}…` : confirmLabel}
        </button>
        <button type="button" onClick={() => change(false)}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
