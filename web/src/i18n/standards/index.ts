// Adds the service standards' strings (standards.*) to i18next when a page that needs them loads.
import i18n from "..";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export const standardsDictionaries = { en, ja, ko, vi } as const;

let added = false;
export function addStandardsDictionaries(): void {
  if (added) return;
  added = true;
  for (const [lng, d] of Object.entries(standardsDictionaries)) i18n.addResourceBundle(lng, "translation", d, true, true);
}
