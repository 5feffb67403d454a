import type { TFunction } from "i18next";

// Messaging services keep their own names in every language.
const BRANDS: Record<string, string> = { line: "LINE", messenger: "Messenger", zalo: "Zalo", kakaotalk: "KakaoTalk" };

/** A ticket's channel ("email", "web", "line"…) in words for people. */
export function channelName(t: TFunction, channel: string): string {
  return BRANDS[channel] ?? t(`channels.${channel}`, { defaultValue: channel });
}
