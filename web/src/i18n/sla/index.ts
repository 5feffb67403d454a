// Adds the service-level strings (inbox.sortOptions.due_at, inbox.due.*) to i18next.
import i18n from "..";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export const slaDictionaries = { en, ja, ko, vi } as const;

let added = false;
export function addSlaDictionaries(): void {
  if (added) return;
  added = true;
  for (const [lng, d] of Object.entries(slaDictionaries)) i18n.addResourceBundle(lng, "translation", d, true, true);
}
