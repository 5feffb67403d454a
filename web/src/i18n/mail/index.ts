// Adds the email settings' strings (admin.mail.* and their fields.*) to i18next when that page loads.
import i18n from "..";
import en from "./en";
import ja from "./ja";
import ko from "./ko";
import vi from "./vi";

export const mailDictionaries = { en, ja, ko, vi } as const;

let added = false;
export function addMailDictionaries(): void {
  if (added) return;
  added = true;
  for (const [lng, d] of Object.entries(mailDictionaries))
    i18n.addResourceBundle(lng, "translation", { admin: { mail: d.mail }, fields: d.fields }, true, true);
}
