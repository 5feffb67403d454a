import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { decodeEntities, htmlToReact, parseHtml, safeUrl } from "./safeHtml";

const render = (html: string) => renderToStaticMarkup(<>{htmlToReact(html)}</>);

describe("rendering the server's Markdown HTML without innerHTML", () => {
  it("keeps what cmark-gfm makes", () => {
    const html =
      '<h2>Refunds</h2>\n<p>Use <strong>Settings</strong> → <em>Billing</em>, see <a href="https://example.com/x?a=1&amp;b=2" title="T">docs</a>.</p>\n' +
      "<ul>\n<li>one</li>\n<li><del>two</del></li>\n</ul>\n<pre><code class=\"language-sh\">make &amp;&amp; run\n</code></pre>\n";
    expect(render(html)).toBe(
      "<h2>Refunds</h2>\n<p>Use <strong>Settings</strong> → <em>Billing</em>, see " +
        '<a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow" title="T">docs</a>.</p>\n' +
        '<ul><li>one</li><li><del>two</del></li></ul>\n<pre><code class="language-sh">make &amp;&amp; run\n</code></pre>\n',
    );
  });

  it("drops the newline right after <pre>, as browsers do", () => {
    expect(render("<pre>\n<code>code block\n</code></pre>")).toBe("<pre><code>code block\n</code></pre>");
    // One newline stays (React writes it out doubled so that the browser keeps it).
    expect(render("<pre>\n\nkept</pre>")).toBe("<pre>\n\nkept</pre>");
  });

  it("renders GFM tables and task lists", () => {
    const html =
      '<table>\n<thead>\n<tr>\n<th align="center">Plan</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align="center">Pro</td>\n</tr>\n</tbody>\n</table>\n' +
      '<ul>\n<li><input type="checkbox" checked="" disabled="" /> done</li>\n</ul>';
    const out = render(html);
    expect(out).toContain('<table><thead><tr><th class="align-center">Plan</th></tr></thead><tbody><tr><td class="align-center">Pro</td></tr></tbody></table>');
    expect(out).toContain('<input type="checkbox" disabled="" readonly="" checked=""/> done');
  });

  it("drops scripts, styles, event handlers and dangerous addresses", () => {
    const out = render(
      '<p onclick="alert(1)">hi<script>alert(2)</script><style>p{}</style></p><img src="x" onerror="alert(3)">' +
        '<a href="javascript:alert(4)">a</a><a href=" JaVa\tScRiPt:alert(5)">b</a><a href="data:text/html,x">c</a>' +
        '<iframe src="https://evil.test"></iframe><svg><script>alert(6)</script></svg><a href="//evil.test/x">d</a>',
    );
    expect(out).not.toMatch(/script|onclick|onerror|alert\(|iframe|javascript|data:|evil/i);
    expect(out).toContain("<p>hi</p>");
    expect(out).toContain('<img src="x" alt="" loading="lazy"/>');
    expect(out).toContain("<a>a</a><a>b</a><a>c</a>");
  });

  it("keeps the text of unknown elements, not the elements", () => {
    expect(render('<p><font color="red">red</font> <blink>text</blink></p>')).toBe("<p>red text</p>");
    expect(render("<!-- raw HTML omitted --><p>x</p>")).toBe("<p>x</p>");
  });

  it("decodes entities once (React escapes again)", () => {
    expect(decodeEntities("&lt;b&gt; &amp;amp; &#39; &#x1F600; &quot; &nbsp;&copy; &bogus;")).toBe("<b> &amp; ' 😀 \" \u00a0© &bogus;");
    expect(render("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(decodeEntities("&#0; &#xD800; &#99999999;")).toBe("\ufffd \ufffd \ufffd");
  });

  it("copes with broken markup", () => {
    expect(render("<p>open <strong>bold</p> after")).toBe("<p>open <strong>bold</strong></p> after");
    expect(render("a < b and <p")).toBe("a &lt; b and &lt;p");
    expect(render("</div>stray")).toBe("stray");
    expect(render("<script>never closed")).toBe("");
    expect(parseHtml("")).toEqual([]);
    expect(render(undefined as unknown as string)).toBe("");
  });

  it("allows only web and mail addresses, and relative ones", () => {
    expect(safeUrl("https://a.test/x")).toBe("https://a.test/x");
    expect(safeUrl("/help/demo/articles/1")).toBe("/help/demo/articles/1");
    expect(safeUrl("#top")).toBe("#top");
    expect(safeUrl("mailto:a@b.test")).toBe("mailto:a@b.test");
    expect(safeUrl("mailto:a@b.test", true)).toBeNull();
    expect(safeUrl("vbscript:x")).toBeNull();
    expect(safeUrl("\u0001javascript:x")).toBeNull();
    expect(safeUrl("data:image/png;base64,AAAA", true)).toBe("data:image/png;base64,AAAA");
    expect(safeUrl("data:image/svg+xml;base64,AAAA", true)).toBeNull();
  });
});
