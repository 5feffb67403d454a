import type { SlaDict } from "./en";

// Service levels in the inbox, in Vietnamese (see ./en.ts).
const sla: SlaDict = {
  inbox: {
    sortOptions: {
      due_at: "Sắp đến hạn trước",
    },
    due: {
      in: "còn {{time}} đến hạn",
      overdue: "quá hạn {{time}}",
      paused: "tạm dừng",
      title: "{{metric}}: {{label}}",
      minutes: "{{count}} phút",
      hours: "{{count}} giờ",
      days: "{{count}} ngày",
      metrics: {
        first_reply: "Phản hồi đầu tiên",
        next_reply: "Phản hồi tiếp theo",
        periodic_update: "Cập nhật tiến độ",
        resolution: "Giải quyết",
      },
    },
  },
  timeline: {
    slaWarning: "{{metric}}: còn {{time}} đến hạn",
    slaWarningSoon: "{{metric}}: sắp đến hạn",
    slaBreached: "{{metric}}: đã trễ hạn mục tiêu",
    slaDueAt: "Hạn: {{time}}",
  },
};

export default sla;
