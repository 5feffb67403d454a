// Ticket statuses in the customer's words: the help centre never shows the agents' workflow.
export type CustomerStatus = "open" | "awaiting" | "solved";

/** pending → "awaiting your reply", solved/closed → "solved", everything else → "open". */
export function customerStatus(status: string): CustomerStatus {
  if (status === "pending") return "awaiting";
  if (status === "solved" || status === "closed") return "solved";
  return "open";
}
