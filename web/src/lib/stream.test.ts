import { describe, expect, it } from "vitest";
import { ResumeCursor } from "./stream";

describe("stream resume", () => {
  it("connects without since until a stored event arrived, then resumes after it", () => {
    const c = new ResumeCursor();
    expect(c.path()).toBe("/api/v1/stream");
    expect(c.accept({ id: 0 })).toBe(true); // presence: delivered, not a resume point
    expect(c.path()).toBe("/api/v1/stream");
    expect(c.accept({ id: 41 })).toBe(true);
    expect(c.accept({ id: 42 })).toBe(true);
    expect(c.path()).toBe("/api/v1/stream?since=42");
  });

  it("drops an event delivered twice (replay overlapping live events)", () => {
    const c = new ResumeCursor();
    expect(c.accept({ id: 7 })).toBe(true);
    expect(c.accept({ id: 7 })).toBe(false);
    expect(c.accept({ id: 5 })).toBe(false);
    expect(c.accept({ id: 8 })).toBe(true);
    c.reset();
    expect(c.path()).toBe("/api/v1/stream");
  });
});
