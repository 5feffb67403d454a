// Adds the self-service strings (kb.*, community.*, search.*, suggested.*, fields.*) to i18next.
// The shell's search box needs them, so the shell adds them when it loads.
import i18n from "..";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export const kbDictionaries = { en, ja, ko, vi } as const;

let added = false;
export function addKbDictionaries(): void {
  if (added) return;
  added = true;
  for (const [lng, d] of Object.entries(kbDictionaries)) i18n.addResourceBundle(lng, "translation", d, true, true);
}
