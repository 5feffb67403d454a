// Small pieces every help-centre page uses: headings that take focus, alerts, labelled
// fields, error wording and dates in the reader's language.
import { useCallback, useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError } from "./api";
import i18n from "./i18n";
import { customerStatus } from "./status";
import { LIMITS, type Problem } from "./validate";

export function errorText(t: TFunction, e: unknown): string {
  if (e instanceof ApiError) {
    const key = `errors.${e.code}`;
    return i18n.exists(key) ? t(key) : e.status >= 500 ? t("errors.internal") : t("errors.unknown");
  }
  return t("errors.unknown");
}

export function problemText(t: TFunction, field: string, p: Problem): string {
  switch (p.problem) {
    case "required":
      return i18n.exists(`validation.${field}Required`) ? t(`validation.${field}Required`) : t("validation.invalid");
    case "tooLong":
      return t("validation.tooLong", { max: p.max?.toLocaleString(i18n.language) });
    case "invalidEmail":
      return t("validation.emailInvalid");
    case "control":
      return t("validation.control");
  }
}

/** A server "invalid_argument" with a field, read as the same problem the client checks for. */
export function serverProblem(e: unknown): { field: string; problem: Problem } | null {
  if (!(e instanceof ApiError) || e.code !== "invalid_argument" || !e.field) return null;
  const d = e.detail;
  const field = e.field;
  if (field === "email") return { field, problem: { problem: "invalidEmail" } };
  if (/empty/.test(d)) return { field, problem: { problem: "required" } };
  if (/longer than/.test(d)) return { field, problem: { problem: "tooLong", max: (LIMITS as Record<string, number>)[field] } };
  if (/control/.test(d)) return { field, problem: { problem: "control" } };
  return { field, problem: { problem: "required" } };
}

export function useDateFormat() {
  const { i18n: inst } = useTranslation();
  return useCallback(
    (iso: string) => {
      try {
        return new Intl.DateTimeFormat(inst.language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
      } catch {
        return iso;
      }
    },
    [inst.language],
  );
}

/** The page's heading takes focus after in-app navigation, so screen readers announce it. */
let firstPage = true;
export function PageHeading({ children, className, id }: { children: ReactNode; className?: string; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (firstPage) firstPage = false;
    else ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={className} id={id}>
      {children}
    </h1>
  );
}

export function Alert({ children, kind = "error", testId }: { children: ReactNode; kind?: "error" | "ok" | "info"; testId?: string }) {
  return (
    <div className={`p-alert p-alert-${kind}`} role={kind === "error" ? "alert" : "status"} data-testid={testId}>
      {children}
    </div>
  );
}

/**
 * The line a page shows while its data is on the way or, once loading failed, the error with a
 * retry button; `className` wraps that error and button in a div of that class.
 */
export function Loading({ error, retry, className, text }: { error?: unknown; retry?: () => void; className?: string; text?: string }) {
  const { t } = useTranslation();
  if (!error)
    return (
      <p className="p-loading" role="status">
        {text ?? t("app.loading")}
      </p>
    );
  const failed = (
    <>
      <Alert>{errorText(t, error)}</Alert>
      {retry && (
        <button type="button" className="p-btn" onClick={retry}>
          {t("app.retry")}
        </button>
      )}
    </>
  );
  return className ? <div className={className}>{failed}</div> : failed;
}

export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (aria: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const describedBy = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className={props.error ? "p-field p-field-invalid" : "p-field"}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p className="p-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.children({ id: props.id, "aria-invalid": !!props.error, "aria-describedby": describedBy || undefined })}
      {props.error && (
        <p className="p-field-error" id={`${props.id}-error`} data-testid={`error-${props.id}`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const s = customerStatus(status);
  return (
    <span className={`p-status p-status-${s}`} data-testid="request-status" data-status={status}>
      {t(`status.${s}`)}
    </span>
  );
}
