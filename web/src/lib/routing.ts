// Routing (C4) and ownership (C5) in the web app: the agent's presence, agents' capacity and
// skills, teams' routing settings, and a ticket's handoffs. The server's shapes are in
// docs/openapi.yaml (Agent, Team, Ticket); these add the routing fields to api.ts's types.
import { request, type Agent, type Team, type Ticket } from "../api";

export type Presence = "online" | "away" | "offline";
export const PRESENCES: Presence[] = ["online", "away", "offline"];
export type RoutingStrategy = "round_robin" | "least_loaded" | "best_skill" | "owner_first";
export const STRATEGIES: RoutingStrategy[] = ["round_robin", "least_loaded", "best_skill", "owner_first"];
export interface WorkCapacity { ticket: number; chat: number; call: number }
export const WORK_KINDS: (keyof WorkCapacity)[] = ["ticket", "chat", "call"];
/** Skill name ("lang:ja") to proficiency 1–5 (for a team: the minimum level). */
export type Skills = Record<string, number>;

export type RoutedAgent = Agent & {
  /** null: not yours to see (agents see only their own presence). */
  presence?: Presence | null;
  presence_at?: string | null;
  capacity?: WorkCapacity;
  skills?: Skills;
};
export type RoutedTeam = Team & {
  routing_enabled?: boolean;
  strategy?: RoutingStrategy;
  overflow_team_id?: number | null;
  overflow_after_minutes?: number | null;
  match_language?: boolean;
  required_skills?: Skills;
  member_ids?: number[];
};
export type OwnedTicket = Ticket & {
  handoffs?: number;
  agent_path?: number[];
  first_contact_resolved?: boolean | null;
  queued_at?: string | null;
};

export interface TeamRoutingInput {
  routing_enabled?: boolean;
  strategy?: RoutingStrategy;
  overflow_team_id?: number | null;
  overflow_after_minutes?: number | null;
  match_language?: boolean;
  required_skills?: Skills;
  member_ids?: number[];
}

export const routingApi = {
  setPresence: (presence: Presence) =>
    request<RoutedAgent>("PUT", "/api/v1/me/presence", { presence }).then((a) => a.body),
  updateAgentRouting: (id: number, body: { capacity?: WorkCapacity; skills?: Skills }) =>
    request<RoutedAgent>("PATCH", `/api/v1/agents/${id}`, body).then((a) => a.body),
  updateTeamRouting: (id: number, body: TeamRoutingInput) =>
    request<RoutedTeam>("PATCH", `/api/v1/teams/${id}`, body).then((a) => a.body),
};

const SKILL_NAME = /^[a-z0-9_.:-]{1,64}$/;

/**
 * Reads skills typed as "lang:ja 5, product:billing=3" (a level 1–5 after a space, "=" or
 * ":"; no level means 1). `bad` lists the entries that are not skill and level.
 */
export function parseSkills(text: string): { skills: Skills; bad: string[] } {
  const skills: Skills = {};
  const bad: string[] = [];
  for (const raw of text.split(/[,\n、]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^(.+?)(?:\s*[=\s]\s*|:)([1-5])$/.exec(entry);
    const name = (m ? m[1] : entry).trim().toLowerCase();
    const level = m ? Number(m[2]) : 1;
    if (!SKILL_NAME.test(name)) bad.push(entry);
    else skills[name] = level;
  }
  return { skills, bad };
}

/** The inverse of parseSkills: "lang:ja 5, product:billing 3", by name. */
export function formatSkills(skills: Skills | undefined): string {
  return Object.entries(skills ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, level]) => `${name} ${level}`)
    .join(", ");
}

/** The agents a ticket passed through, named: "Ren → Mai → Ren". */
export function pathNames(path: number[] | undefined, nameOf: (id: number) => string): string[] {
  return (path ?? []).map(nameOf);
}
