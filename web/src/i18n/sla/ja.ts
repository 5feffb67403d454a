import type { SlaDict } from "./en";

// Service levels in the inbox, in Japanese (see ./en.ts).
const sla: SlaDict = {
  inbox: {
    sortOptions: {
      due_at: "期限が近い順",
    },
    due: {
      in: "期限まであと{{time}}",
      overdue: "期限を{{time}}超過",
      paused: "一時停止中",
      title: "{{metric}}: {{label}}",
      minutes: "{{count}}分",
      hours: "{{count}}時間",
      days: "{{count}}日",
      metrics: {
        first_reply: "初回返信",
        next_reply: "次回返信",
        periodic_update: "途中経過の連絡",
        resolution: "解決",
      },
    },
  },
  timeline: {
    slaWarning: "{{metric}}の期限まであと{{time}}",
    slaWarningSoon: "{{metric}}の期限が迫っています",
    slaBreached: "{{metric}}の目標時間を過ぎました",
    slaDueAt: "期限: {{time}}",
  },
};

export default sla;
