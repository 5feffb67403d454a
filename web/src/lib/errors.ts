import type { TFunction } from "i18next";
import { ApiError } from "../api";

const KNOWN = new Set([
  "invalid_argument", "bad_request", "unauthenticated", "permission_denied", "csrf_token_invalid",
  "origin_not_allowed", "not_found", "method_not_allowed", "conflict", "precondition_failed",
  "payload_too_large", "idempotency_key_reused", "rate_limited", "headers_too_large", "unavailable",
  "internal", "network",
]);

/** A message for people, in their language, for any error thrown by the app. */
export function errorMessage(t: TFunction, err: unknown, context?: "signIn"): string {
  if (err instanceof ApiError) {
    if (context === "signIn" && err.code === "unauthenticated") return t("errors.signInFailed");
    const base = KNOWN.has(err.code) ? t(`errors.${err.code}`) : t("errors.unknown");
    if (err.field && (err.code === "invalid_argument" || err.code === "conflict")) {
      const field = t(`fields.${err.field}`, { defaultValue: err.field });
      return `${base} ${t("errors.field", { field })}`;
    }
    return base;
  }
  return t("errors.unknown");
}
