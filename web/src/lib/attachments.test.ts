import { describe, expect, it } from "vitest";
import { formatSize, isInlineImage, MAX_ATTACHMENTS, MAX_UPLOAD_BYTES, pastedFileName, precheck } from "./attachments";

describe("attachments", () => {
  it("writes sizes in the reader's format", () => {
    expect(formatSize(0)).toBe("0 B");
    expect(formatSize(812)).toBe("812 B");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(20 * 1024 * 1024)).toBe("20 MB");
    expect(formatSize(3.46 * 1024 * 1024)).toBe("3.5 MB");
    expect(formatSize(150 * 1024)).toBe("150 KB");
    expect(formatSize(1536, "vi")).toBe("1,5 KB");
  });

  it("checks a file before uploading it", () => {
    expect(precheck(10, 0)).toBeNull();
    expect(precheck(0, 0)).toBe("empty");
    expect(precheck(MAX_UPLOAD_BYTES, 0)).toBeNull();
    expect(precheck(MAX_UPLOAD_BYTES + 1, 0)).toBe("tooLarge");
    expect(precheck(10, MAX_ATTACHMENTS)).toBe("tooMany");
  });

  it("shows only the images the server serves inline as thumbnails", () => {
    expect(isInlineImage("image/png")).toBe(true);
    expect(isInlineImage("IMAGE/JPEG")).toBe(true);
    expect(isInlineImage("image/svg+xml")).toBe(false);
    expect(isInlineImage("application/pdf")).toBe(false);
  });

  it("names pasted images by the time they were pasted", () => {
    const d = new Date(2026, 10, 23, 9, 5, 7);
    expect(pastedFileName("image/png", d)).toBe("pasted-20261123-090507.png");
    expect(pastedFileName("image/jpeg", d)).toBe("pasted-20261123-090507.jpg");
  });
});
