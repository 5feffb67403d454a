// Service levels in the inbox: the due-time sort and the due badge (lib/due.ts), added to
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
};

export type SlaDict = typeof sla;
export default sla;
