// Service standards in words, shared by Admin → Service levels and the report: a target
// ("60 seconds", "1 business hour"), a standard's one-line summary, its channels.
import type { TFunction } from "i18next";
import type { ServiceMetric, SlaClock } from "../api";
import { channelName } from "../lib/channels";
import { splitSeconds } from "../lib/standards";
import { addStandardsDictionaries } from "../i18n/standards";

// Both pages that speak of standards load with these strings (not with the app).
addStandardsDictionaries();

/** "60 seconds", "90 minutes", "1 business hour", "3 business days". */
export function targetText(t: TFunction, seconds: number, clock: SlaClock): string {
  const { count, unit } = splitSeconds(seconds, clock);
  return t(clock === "business" ? `standards.target.business.${unit}` : `standards.target.${unit}`, { count });
}

/** "First reply within 60 seconds". */
export function standardSummary(t: TFunction, s: { metric: ServiceMetric; target_seconds: number; clock: SlaClock }): string {
  return t("standards.summary", { metric: t(`standards.metrics.${s.metric}`), target: targetText(t, s.target_seconds, s.clock) });
}

/** "Chat, Email", or "All channels". */
export function channelsText(t: TFunction, channels: string[]): string {
  return channels.length ? channels.map((c) => channelName(t, c)).join(", ") : t("standards.allChannels");
}
