// Adds the service-level settings' strings (admin.sla.*) to i18next when that page loads.
import i18n from "..";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export const slaAdminDictionaries = { en, ja, ko, vi } as const;

let added = false;
export function addSlaAdminDictionaries(): void {
  if (added) return;
  added = true;
  for (const [lng, d] of Object.entries(slaAdminDictionaries))
    i18n.addResourceBundle(lng, "translation", { admin: { sla: d.sla } }, true, true);
}
