// Adds the routing strings (routing.*) to i18next.
import i18n from "..";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export const routingDictionaries = { en, ja, ko, vi } as const;

let added = false;
export function addRoutingDictionaries(): void {
  if (added) return;
  added = true;
  for (const [lng, d] of Object.entries(routingDictionaries)) i18n.addResourceBundle(lng, "translation", d, true, true);
}
