import type { SlaDict } from "./en";

// Service levels in the inbox, in Korean (see ./en.ts).
const sla: SlaDict = {
  inbox: {
    sortOptions: {
      due_at: "기한 임박순",
    },
    due: {
      in: "기한까지 {{time}}",
      overdue: "기한 {{time}} 초과",
      paused: "일시 중지됨",
      title: "{{metric}}: {{label}}",
      minutes: "{{count}}분",
      hours: "{{count}}시간",
      days: "{{count}}일",
      metrics: {
        first_reply: "첫 응답",
        next_reply: "다음 응답",
        periodic_update: "진행 상황 안내",
        resolution: "해결",
      },
    },
  },
  timeline: {
    slaWarning: "{{metric}} 기한까지 {{time}} 남음",
    slaWarningSoon: "{{metric}} 기한 임박",
    slaBreached: "{{metric}} 목표 시간 초과",
    slaDueAt: "기한: {{time}}",
  },
};

export default sla;
