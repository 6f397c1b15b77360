import { useEffect, useRef, useState } from "react";
import { Dialog } from "../../components/dialog.tsx";

/**
 * The secret of a key just created, shown this once: Mary keeps only its hash. Closing the dialog
 * forgets it (the caller drops it from state).
 */
export function CreatedKeyDialog({
  created,
  onClose,
}: {
  created: { name: string; key: string } | null;
  onClose: () => void;
}) {
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");
  const keyInput = useRef<HTMLInputElement>(null);
  const secret = created?.key;
  useEffect(() => setCopy("idle"), [secret]);

  return (
    <Dialog
      open={created !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title="Your new API key"
      description="Copy it now and keep it somewhere safe. It won't be shown again: Mary keeps only a fingerprint of it."
    >
      {created ? (
        <>
          <div className="field">
            <label htmlFor="created-api-key">API key “{created.name}”</label>
            <input
              id="created-api-key"
              ref={keyInput}
              className="secret"
              readOnly
              value={created.key}
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
          <div className="row">
            <button
              type="button"
              className="primary"
              onClick={async () => {
                try {
                  await navigator.clipboard.writeText(created.key);
                  setCopy("copied");
                } catch {
                  keyInput.current?.select();
                  setCopy("failed");
                }
              }}
            >
              Copy
            </button>
            <span role="status" aria-live="polite">
              {copy === "copied"
                ? "Copied"
                : copy === "failed"
                  ? "Copying is blocked here: the key is selected, copy it with your keyboard."
                  : ""}
            </span>
          </div>
          <p className="warning">
            <strong>This is the only time the key is shown.</strong> If you lose it, revoke it and create another.
          </p>
          <div className="row dialog-actions">
            <button type="button" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : null}
    </Dialog>
  );
}
