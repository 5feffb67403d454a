import { describe, expect, it } from "vitest";
import type { Ticket } from "../api";
import { customerFigures, mainContact } from "./customerFigures";

let next = 1;
function ticket(p: Partial<Ticket>): Ticket {
  const id = next++;
  return {
    id, number: id, subject: `T${id}`, status: "open", priority: "normal", channel: "email", requester_id: 1,
    assignee_id: null, team_id: null, tags: [], fields: {}, created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z", first_reply_at: null, solved_at: null, version: 1, ...p,
  };
}

describe("customerFigures", () => {
  it("is all zeros and nulls without tickets", () => {
    expect(customerFigures([])).toEqual({
      conversations: 0, openNow: 0, solved: 0, firstContact: null, lastContact: null, channels: [],
    });
  });

  it("counts open and solved tickets and finds the first and last contact", () => {
    const f = customerFigures([
      ticket({ status: "new", created_at: "2026-03-01T10:00:00Z", updated_at: "2026-03-02T10:00:00Z" }),
      ticket({ status: "pending", created_at: "2025-12-24T08:30:00Z", updated_at: "2026-01-05T09:00:00Z" }),
      ticket({ status: "on_hold", created_at: "2026-02-01T00:00:00Z", updated_at: "2026-02-01T00:00:00Z" }),
      ticket({ status: "solved", created_at: "2026-01-10T00:00:00Z", updated_at: "2026-04-01T12:00:00Z" }),
      ticket({ status: "closed", created_at: "2026-01-11T00:00:00Z", updated_at: "2026-01-12T00:00:00Z" }),
    ]);
    expect(f.conversations).toBe(5);
    expect(f.openNow).toBe(3);
    expect(f.solved).toBe(2);
    expect(f.firstContact).toBe("2025-12-24T08:30:00Z");
    expect(f.lastContact).toBe("2026-04-01T12:00:00Z");
  });

  it("compares instants, not strings, and skips unparseable times", () => {
    const f = customerFigures([
      ticket({ created_at: "2026-01-01T09:00:00+09:00", updated_at: "garbage" }),
      ticket({ created_at: "2026-01-01T01:00:00Z", updated_at: "2026-01-01T01:00:00Z" }),
    ]);
    expect(f.firstContact).toBe("2026-01-01T09:00:00+09:00");
    expect(f.lastContact).toBe("2026-01-01T01:00:00Z");
  });

  it("lists each channel once, the most used first", () => {
    const f = customerFigures([
      ticket({ channel: "web" }), ticket({ channel: "email" }), ticket({ channel: "chat" }),
      ticket({ channel: "email" }), ticket({ channel: "" }),
    ]);
    expect(f.channels).toEqual(["email", "chat", "web"]);
  });
});

describe("mainContact", () => {
  it("takes the first email and the first phone", () => {
    expect(
      mainContact({
        identities: [
          { kind: "line", value: "U1" }, { kind: "phone", value: "+8190" }, { kind: "email", value: "a@x.jp" },
          { kind: "email", value: "b@x.jp" },
        ],
      }),
    ).toEqual({ email: "a@x.jp", phone: "+8190" });
    expect(mainContact({ identities: [] })).toEqual({ email: null, phone: null });
  });
});
