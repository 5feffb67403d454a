// Service levels in the inbox and on the ticket: the due-time sort, the due badge (lib/due.ts)
// and the SLA warnings in the ticket's timeline, added to
// the main dictionary by ./index.ts. Every locale has exactly these keys (lib/due.test.ts).
const sla = {
  inbox: {
    sortOptions: {
      due_at: "Due soonest",
    },
    due: {
      in: "due in {{time}}",
      overdue: "overdue by {{time}}",
      paused: "paused",
      title: "{{metric}}: {{label}}",
      minutes: "{{count}} min",
      hours: "{{count}} h",
      days: "{{count}} d",
      metrics: {
        first_reply: "First reply",
        next_reply: "Next reply",
        periodic_update: "Update",
        resolution: "Resolution",
      },
    },
  },
  timeline: {
    slaWarning: "{{metric}} is due in {{time}}",
    slaWarningSoon: "{{metric}} is due soon",
    slaBreached: "{{metric}} target missed",
    slaDueAt: "Due {{time}}",
  },
};

export type SlaDict = typeof sla;
export default sla;
