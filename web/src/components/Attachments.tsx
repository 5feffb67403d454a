// Attachment views shared by the agent app and the help centre (both dictionaries have the
// `attachments.*` keys; both style sheets the `att-*` classes).
import { useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Attachment } from "../api";
import "./attachments.css";
import { dragHasFiles, filesFrom, formatSize, isInlineImage, MAX_UPLOAD_BYTES, type PendingFile } from "../lib/attachments";

/** The files of a sent message: image thumbnails and file chips, each a download link. */
export function AttachmentList({ attachments, urlFor }: { attachments: Attachment[]; urlFor: (id: number) => string }) {
  const { t, i18n } = useTranslation();
  if (!attachments || attachments.length === 0) return null;
  const images = attachments.filter((a) => isInlineImage(a.content_type));
  const files = attachments.filter((a) => !isInlineImage(a.content_type));
  return (
    <div className="att-list" data-testid="attachments">
      {images.length > 0 && (
        <ul className="att-thumbs">
          {images.map((a) => (
            <li key={a.id}>
              <a href={urlFor(a.id)} target="_blank" rel="noopener" className="att-thumb-link" data-testid="attachment-image" title={a.name}>
                <img src={urlFor(a.id)} alt={a.name} loading="lazy" className="att-thumb" />
                <span className="att-thumb-caption">
                  <span className="att-name">{a.name}</span> <span className="att-size">{formatSize(a.size, i18n.language)}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
      {files.length > 0 && (
        <ul className="att-chips">
          {files.map((a) => (
            <li key={a.id}>
              <a
                href={urlFor(a.id)}
                download={a.name}
                className="att-chip"
                data-testid="attachment-file"
                aria-label={t("attachments.download", { name: a.name, size: formatSize(a.size, i18n.language) })}
              >
                <span className="att-icon" aria-hidden="true">
                  {fileBadge(a.name)}
                </span>
                <span className="att-name">{a.name}</span>
                <span className="att-size">{formatSize(a.size, i18n.language)}</span>
                <span className="att-dl" aria-hidden="true">
                  ↓
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function fileBadge(name: string): string {
  const m = /\.([A-Za-z0-9]{1,4})$/.exec(name);
  return m ? m[1].toUpperCase() : "FILE";
}

/** The files attached to a message being written: progress, size, errors and remove. */
export function PendingFiles({
  items,
  onRemove,
  errorText,
}: {
  items: PendingFile[];
  onRemove: (key: string) => void;
  errorText: (e: unknown) => string;
}) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return null;
  const reason = (e: unknown): string => {
    if (e === "tooLarge") return t("attachments.tooLarge", { max: formatSize(MAX_UPLOAD_BYTES, i18n.language) });
    if (e === "empty") return t("attachments.empty");
    if (e === "tooMany") return t("attachments.tooMany");
    return errorText(e);
  };
  return (
    <ul className="att-pending" aria-label={t("attachments.label")} data-testid="pending-attachments">
      {items.map((it) => (
        <li key={it.key} className={`att-pending-item att-${it.state}`} data-testid="pending-attachment" data-state={it.state}>
          {it.preview ? (
            <img src={it.preview} alt="" className="att-pending-thumb" />
          ) : (
            <span className="att-icon" aria-hidden="true">
              {fileBadge(it.name)}
            </span>
          )}
          <span className="att-pending-text">
            <span className="att-name">{it.name}</span>
            <span className="att-size">
              {it.state === "uploading"
                ? t("attachments.uploading", {
                    percent: Math.round(it.progress * 100),
                    size: formatSize(it.size, i18n.language),
                  })
                : formatSize(it.size, i18n.language)}
            </span>
            {it.state === "uploading" && (
              <progress className="att-progress" max={1} value={it.progress} aria-label={t("attachments.progress", { name: it.name })} />
            )}
            {it.state === "error" && (
              <span className="att-error" role="alert" data-testid="attachment-error">
                {reason(it.error)}
              </span>
            )}
          </span>
          <button
            type="button"
            className="att-remove"
            onClick={() => onRemove(it.key)}
            aria-label={t("attachments.remove", { name: it.name })}
            title={t("attachments.remove", { name: it.name })}
            data-testid="remove-attachment"
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** An "Attach files" button (a hidden file input behind a real button). */
export function AttachButton({ onFiles, disabled, className }: { onFiles: (files: File[]) => void; disabled?: boolean; className?: string }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className ?? "att-button"} onClick={() => input.current?.click()} disabled={disabled} data-testid="attach">
        <svg className="att-clip" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
          <path
            d="M21 11.5l-8.6 8.6a5.5 5.5 0 0 1-7.8-7.8l8.6-8.6a3.7 3.7 0 0 1 5.2 5.2l-8.6 8.6a1.8 1.8 0 0 1-2.6-2.6l7.9-7.9"
            fill="none"
            stroke="currentColor"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
        {t("attachments.attach")}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(e) => {
          const files = e.target.files ? Array.from(e.target.files) : [];
          e.target.value = "";
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}

/** A drop zone around children: dragging files over it shows a hint; dropping attaches them. */
export function DropZone(props: { onFiles: (files: File[]) => void; children: ReactNode; className?: string; testId?: string }) {
  const { onFiles, children, className } = props;
  const { t } = useTranslation();
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  return (
    <div
      className={`${className ?? ""} att-drop${over ? " att-drop-over" : ""}`}
      data-testid={props.testId}
      onDragEnter={(e) => {
        if (!dragHasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!dragHasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        if (!dragHasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = filesFrom(e.dataTransfer);
        if (files.length) onFiles(files);
      }}
    >
      {children}
      {over && (
        <div className="att-drop-hint" aria-hidden="true">
          {t("attachments.dropHere")}
        </div>
      )}
    </div>
  );
}
