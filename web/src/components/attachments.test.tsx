import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import i18n from "../i18n";
import { AttachmentList, PendingFiles } from "./Attachments";
import { ApiError } from "../api";

const hostile = "<img src=x onerror=alert(1)>.pdf";

describe("attachments in the timeline and the composer", () => {
  it("shows images as thumbnails and other files as download chips, names as text", async () => {
    await i18n.changeLanguage("en");
    const html = renderToStaticMarkup(
      <AttachmentList
        urlFor={(id) => `/files/${id}`}
        attachments={[
          { id: 1, name: "screen.png", content_type: "image/png", size: 2048 },
          { id: 2, name: hostile, content_type: "application/pdf", size: 1536 },
          { id: 3, name: "logo.svg", content_type: "image/svg+xml", size: 100 },
        ]}
      />,
    );
    expect(html).toContain('<img src="/files/1" alt="screen.png"');
    expect(html).not.toContain('src="/files/3"'); // SVG is not served inline: a download chip
    expect(html).toContain('href="/files/2" download="&lt;img src=x onerror=alert(1)&gt;.pdf"');
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("1.5 KB");
    expect(html).toContain("Download logo.svg (100 B)");
  });

  it("explains why a file could not be attached, in the reader's language", async () => {
    await i18n.changeLanguage("ja");
    const html = renderToStaticMarkup(
      <PendingFiles
        onRemove={() => {}}
        errorText={() => "server said no"}
        items={[
          { key: "a", name: "big.zip", size: 30 * 1024 * 1024, type: "application/zip", progress: 0, state: "error", error: "tooLarge" },
          { key: "b", name: "x.txt", size: 10, type: "text/plain", progress: 0, state: "error", error: new ApiError(413, "payload_too_large", "") },
          { key: "c", name: "up.png", size: 4096, type: "image/png", progress: 0.5, state: "uploading" },
        ]}
      />,
    );
    expect(html).toContain("20 MB を超えるファイルは添付できません。");
    expect(html).toContain("server said no");
    expect(html).toContain("アップロード中… 4 KB の 50%");
    expect(html).toContain('aria-label="big.zip を削除"');
    await i18n.changeLanguage("en");
  });
});
