// Routing (C4) and ownership (C5): the presence switch, Admin → Teams and Agents routing
// settings, and a ticket's handoffs. Added to the main dictionary by ./index.ts; every locale
// has exactly these keys (lib/routing.test.ts).
const routing = {
  routing: {
    presence: {
      label: "Your status",
      online: "Online",
      away: "Away",
      offline: "Offline",
      failed: "Your status could not be changed. Please try again.",
    },
    team: {
      open: "Routing",
      openTitle: "Routing settings of {{name}}",
      title: "Routing of {{name}}",
      on: "Routing on · {{strategy}}",
      overflowSummary: "then to {{team}} after {{minutes}} min",
      off: "Routing off",
      enabled: "Hand out this team's waiting tickets automatically",
      enabledHint: "Unassigned tickets of the team go at once to an online member with the skills and free capacity.",
      strategy: "Strategy",
      strategies: {
        round_robin: "Round robin",
        least_loaded: "Least loaded",
        best_skill: "Best skill match",
        owner_first: "Customer's own agent first",
      },
      overflowTeam: "Overflow team",
      noOverflow: "No overflow",
      overflowAfter: "Move there after (minutes of waiting)",
      matchLanguage: "Only agents who speak the customer's language (skill lang:xx)",
      requiredSkills: "Required skills",
      requiredSkillsHint: "Skill and minimum level 1–5, e.g. product:billing 2",
      members: "Members",
      noAgents: "No agents yet.",
      save: "Save routing",
      saved: "Routing of {{name}} saved.",
      badSkills: "These skills cannot be read: {{list}}",
    },
    agent: {
      title: "Routing",
      capacity: "Work at once",
      kinds: {
        ticket: "Tickets",
        chat: "Chats",
        call: "Calls",
      },
      skills: "Skills",
      skillsHint: "Skill and level 1–5, e.g. lang:ja 5, product:billing 3",
      save: "Save routing",
      saved: "Routing of {{name}} saved.",
      status: "Status",
    },
    ticket: {
      title: "Ownership",
      handoffs: "Handoffs",
      path: "Passed through",
      noPath: "Not assigned yet",
      fcr: "Resolved at first contact",
      fcrYes: "Yes",
      fcrNo: "No",
      fcrPending: "Not solved yet",
      waiting: "Waiting in the team's queue",
    },
  },
};

export default routing;
export type RoutingDict = typeof routing;
