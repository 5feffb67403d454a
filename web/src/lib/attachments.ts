// Attachments, shared by the agent app and the help centre: the upload (raw body, with
// progress, through XMLHttpRequest), the list of files being attached to a message, and
// how sizes are written. Sending a message then names the uploads' one-time tokens.
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, getCsrfToken, notifyUnauthenticated, type Upload } from "../api";

/** The server's default `server.max_upload_bytes` (20 MiB) and the attachments per message. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;

const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
/** Images the server serves inline (and so can be shown as thumbnails). */
export function isInlineImage(contentType: string): boolean {
  return INLINE_IMAGES.has(contentType.toLowerCase());
}

/** "812 B", "14.2 KB", "3.4 MB" in the reader's number format (1 KB = 1024 bytes). */
export function formatSize(bytes: number, locale = "en"): string {
  const units = ["B", "KB", "MB", "GB"];
  let v = Math.max(0, bytes);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  let text: string;
  try {
    text = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
  } catch {
    text = v.toFixed(digits);
  }
  return `${text} ${units[u]}`;
}

/** A file from the clipboard has a generic name ("image.png"); give it one that tells when. */
export function pastedFileName(type: string, now: Date = new Date()): string {
  const ext = type === "image/jpeg" ? "jpg" : (type.split("/")[1] ?? "bin").replace(/[^a-z0-9]/gi, "") || "bin";
  const p = (n: number) => String(n).padStart(2, "0");
  return `pasted-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.${ext}`;
}

/** Why a file cannot be attached before it is even sent, or null. */
export function precheck(size: number, alreadyAttached: number): "empty" | "tooLarge" | "tooMany" | null {
  if (alreadyAttached >= MAX_ATTACHMENTS) return "tooMany";
  if (size === 0) return "empty";
  if (size > MAX_UPLOAD_BYTES) return "tooLarge";
  return null;
}

/** POSTs the bytes to `url?name=…`; progress from 0 to 1. Failures are ApiErrors. */
export function uploadFile(
  url: string,
  file: Blob,
  name: string,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${url}?name=${encodeURIComponent(name)}`);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      let parsed: Record<string, unknown> | null = null;
      try {
        parsed = xhr.responseText ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : null;
      } catch {
        parsed = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed) {
        onProgress(1);
        resolve(parsed as unknown as Upload);
        return;
      }
      const p = (parsed ?? {}) as { code?: string; detail?: string; field?: string };
      const code = p.code ?? (xhr.status === 413 ? "payload_too_large" : xhr.status >= 500 ? "internal" : "unknown");
      if (xhr.status === 401 && !url.includes("/portal/")) notifyUnauthenticated();
      reject(new ApiError(xhr.status, code, p.detail ?? "", p.field, parsed ?? undefined));
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "network error"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "aborted"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(file);
  });
}

export interface PendingFile {
  key: string;
  name: string;
  size: number;
  type: string;
  /** 0..1 while uploading. */
  progress: number;
  state: "uploading" | "done" | "error";
  upload?: Upload;
  /** An ApiError, or a local reason ("empty" | "tooLarge" | "tooMany"). */
  error?: unknown;
  /** An object URL of the local file, for image thumbnails. */
  preview?: string;
}

let seq = 0;

/**
 * The files attached to one message being written: each is uploaded as soon as it is
 * added; `tokens` are those of the finished uploads, in the order added.
 */
export function useUploads(url: string) {
  const [items, setItems] = useState<PendingFile[]>([]);
  const controllers = useRef(new Map<string, AbortController>());
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const patch = useCallback((key: string, p: Partial<PendingFile>) => {
    setItems((cur) => cur.map((it) => (it.key === key ? { ...it, ...p } : it)));
  }, []);

  const add = useCallback(
    (files: File[], renamePasted = false) => {
      let count = itemsRef.current.filter((it) => it.state !== "error").length;
      const added: PendingFile[] = [];
      for (const f of files) {
        const key = `f${++seq}`;
        const name = renamePasted && (!f.name || /^image\.\w+$/.test(f.name)) ? pastedFileName(f.type) : f.name || "file";
        const problem = precheck(f.size, count);
        const preview = !problem && isInlineImage(f.type) ? safeObjectUrl(f) : undefined;
        const item: PendingFile = { key, name, size: f.size, type: f.type, progress: 0, state: problem ? "error" : "uploading", error: problem ?? undefined, preview };
        added.push(item);
        if (problem) continue;
        count++;
        const ctl = new AbortController();
        controllers.current.set(key, ctl);
        uploadFile(url, f, name, (progress) => patch(key, { progress }), ctl.signal)
          .then((upload) => patch(key, { state: "done", upload, progress: 1, name: upload.name, size: upload.size }))
          .catch((error) => {
            if (error instanceof ApiError && error.code === "aborted") return;
            patch(key, { state: "error", error });
          })
          .finally(() => controllers.current.delete(key));
      }
      if (added.length) setItems((cur) => [...cur, ...added]);
    },
    [url, patch],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    setItems((cur) => {
      const it = cur.find((x) => x.key === key);
      if (it?.preview) URL.revokeObjectURL(it.preview);
      return cur.filter((x) => x.key !== key);
    });
  }, []);

  const clear = useCallback(() => {
    for (const c of controllers.current.values()) c.abort();
    setItems((cur) => {
      for (const it of cur) if (it.preview) URL.revokeObjectURL(it.preview);
      return [];
    });
  }, []);

  // Drop object URLs and running uploads when the composer goes away.
  useEffect(
    () => () => {
      for (const c of controllers.current.values()) c.abort();
      for (const it of itemsRef.current) if (it.preview) URL.revokeObjectURL(it.preview);
    },
    [],
  );

  const tokens = items.filter((it) => it.state === "done" && it.upload).map((it) => it.upload!.token);
  const uploading = items.some((it) => it.state === "uploading");
  const failed = items.some((it) => it.state === "error");
  return { items, add, remove, clear, tokens, uploading, failed };
}

function safeObjectUrl(f: File): string | undefined {
  try {
    return URL.createObjectURL(f);
  } catch {
    return undefined;
  }
}

/** The files of a clipboard paste or a drop (only files, never text). */
export function filesFrom(data: DataTransfer | null): File[] {
  if (!data) return [];
  const out: File[] = [];
  if (data.files && data.files.length) {
    for (let i = 0; i < data.files.length; i++) out.push(data.files[i]);
    return out;
  }
  for (let i = 0; i < (data.items?.length ?? 0); i++) {
    const it = data.items[i];
    if (it.kind === "file") {
      const f = it.getAsFile();
      if (f) out.push(f);
    }
  }
  return out;
}

/**
 * The files of a paste: a screenshot or copied image. A paste that also carries text (e.g.
 * from a word processor, which adds a picture of the text) pastes as text, as before.
 */
export function pastedFiles(data: DataTransfer | null): File[] {
  if (!data) return [];
  if (data.getData("text/plain")) return [];
  return filesFrom(data);
}

/** True while something being dragged holds files. */
export function dragHasFiles(e: { dataTransfer: DataTransfer | null }): boolean {
  const types = e.dataTransfer?.types;
  if (!types) return false;
  for (let i = 0; i < types.length; i++) if (types[i] === "Files") return true;
  return false;
}
