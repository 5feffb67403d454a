import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { decodeEntities, htmlToReact, parseHtml, safeUrl, type HtmlNode, type RebuildOptions } from "./safeHtml";

// From a string: the tests run without a DOM, so this is the built-in parser (browsers use DOMParser).
const render = (html: string, options?: RebuildOptions) => renderToStaticMarkup(<>{htmlToReact(html, options)}</>);

// From nodes, as DOMParser gives them in the browser.
type Attrs = Record<string, string>;
const text = (value: string): HtmlNode => ({ nodeType: 3, nodeName: "#text", nodeValue: value, childNodes: [] });
const el = (name: string, attrs: Attrs = {}, ...children: (HtmlNode | string)[]): HtmlNode => ({
  nodeType: 1,
  nodeName: name.toUpperCase(),
  nodeValue: null,
  childNodes: children.map((c) => (typeof c === "string" ? text(c) : c)),
  getAttribute: (n: string) => (n in attrs ? attrs[n] : null),
});
const renderNodes = (...nodes: HtmlNode[]) => renderToStaticMarkup(<div>{htmlToReact(nodes)}</div>);

describe("rendering the server's Markdown HTML without innerHTML", () => {
  it("keeps what cmark-gfm makes", () => {
    const html =
      '<h2>Refunds</h2>\n<p>Use <strong>Settings</strong> → <em>Billing</em>, see <a href="https://example.com/x?a=1&amp;b=2" title="T">docs</a>.</p>\n' +
      "<ul>\n<li>one</li>\n<li><del>two</del></li>\n</ul>\n<pre><code class=\"language-sh\">make &amp;&amp; run\n</code></pre>\n";
    expect(render(html)).toBe(
      "<h2>Refunds</h2>\n<p>Use <strong>Settings</strong> → <em>Billing</em>, see " +
        '<a title="T" href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">docs</a>.</p>\n' +
        '<ul><li>one</li><li><del>two</del></li></ul>\n<pre><code class="language-sh">make &amp;&amp; run\n</code></pre>\n',
    );
  });

  it("keeps ordinary formatting given as nodes", () => {
    const html = renderNodes(
      el("p", {}, "Go to ", el("strong", {}, "Settings"), " then ", el("code", { class: "language-sh x" }, "ls")),
      el("ul", {}, el("li", {}, "one"), el("li", {}, "two")),
    );
    expect(html).toBe('<div><p>Go to <strong>Settings</strong> then <code class="language-sh">ls</code></p><ul><li>one</li><li>two</li></ul></div>');
  });

  it("drops the newline right after <pre>, as browsers do", () => {
    expect(render("<pre>\n<code>code block\n</code></pre>")).toBe("<pre><code>code block\n</code></pre>");
    // One newline stays (React writes it out doubled so that the browser keeps it).
    expect(render("<pre>\n\nkept</pre>")).toBe("<pre>\n\nkept</pre>");
  });

  it("renders GFM tables and task lists, read-only", () => {
    const html =
      '<table>\n<thead>\n<tr>\n<th align="center">Plan</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align="center">Pro</td>\n</tr>\n</tbody>\n</table>\n' +
      '<ul>\n<li><input type="checkbox" checked="" disabled="" /> done</li>\n</ul>';
    const out = render(html);
    expect(out).toContain(
      '<table><thead><tr><th style="text-align:center">Plan</th></tr></thead><tbody><tr><td style="text-align:center">Pro</td></tr></tbody></table>',
    );
    expect(out).toContain('<input type="checkbox" disabled="" readonly="" checked=""/> done');
    const task = renderNodes(el("li", {}, el("input", { type: "checkbox", checked: "" }), " done"));
    expect(task).toBe('<div><li><input type="checkbox" disabled="" readonly="" checked=""/> done</li></div>');
    expect(renderNodes(el("input", { type: "text", value: "x" }))).toBe("<div></div>");
    expect(render('<input type="checkbox" onclick="alert(1)"> not done')).toBe('<input type="checkbox" disabled="" readonly=""/> not done');
  });

  it("starts headings at h2 with ids of their own, and wraps tables to scroll when asked", () => {
    expect(renderNodes(el("h1", { id: "intro" }, "Intro"))).toBe('<div><h2 id="article-intro">Intro</h2></div>');
    expect(render('<h2 id="a b">x</h2>')).toBe("<h2>x</h2>");
    const table = el("table", {}, el("tbody", {}, el("tr", {}, el("td", { align: "center", colspan: "2" }, "1"))));
    expect(renderNodes(table)).toBe('<div><table><tbody><tr><td style="text-align:center" colSpan="2">1</td></tr></tbody></table></div>');
    expect(renderToStaticMarkup(<div>{htmlToReact([table], { tableWrapClass: "p-table-wrap" })}</div>)).toBe(
      '<div><div class="p-table-wrap"><table><tbody><tr><td style="text-align:center" colSpan="2">1</td></tr></tbody></table></div></div>',
    );
  });

  it("drops scripts, styles, frames, event handlers and dangerous addresses", () => {
    const out = render(
      '<p onclick="alert(1)" style="color:red" class="x">hi<script>alert(2)</script><style>p{}</style></p><img src="x" onerror="alert(3)">' +
        '<a href="javascript:alert(4)">a</a><a href=" JaVa\tScRiPt:alert(5)">b</a><a href="data:text/html,x">c</a>' +
        '<iframe src="https://evil.test"></iframe><svg><script>alert(6)</script></svg><a href="//evil.test/x">d</a>' +
        '<a href="/\\evil.test/x">e</a><a href="&#xa0;javascript:alert(7)">f</a><form><button>g</button></form>',
    );
    expect(out).not.toMatch(/script|onclick|onerror|alert\(|iframe|javascript|data:|evil|style=|class=|button|form/i);
    expect(out).toContain("<p>hi</p>");
    expect(out).toContain('<img src="x" loading="lazy" decoding="async" alt=""/>');
    expect(out).toContain("abcdef");
    const nodes = renderNodes(
      el("script", {}, "alert(1)"),
      el("style", {}, "body{display:none}"),
      el("iframe", { src: "https://evil.example" }),
      el("p", { onclick: "alert(2)", style: "color:red", class: "x" }, "safe"),
      el("img", { src: "/a.png", onerror: "alert(3)" }),
      el("svg", {}, el("script", {}, "alert(4)")),
    );
    expect(nodes).not.toMatch(/alert|script|iframe|onclick|onerror|style=|class=/);
    expect(nodes).toContain("<p>safe</p>");
    expect(nodes).toContain('<img src="/a.png" loading="lazy" decoding="async" alt=""/>');
  });

  it("removes javascript: and other unsafe links, keeping the text", () => {
    for (const href of [
      "javascript:alert(1)",
      " JaVaScRiPt:alert(1)",
      "java\tscript:alert(1)",
      "vbscript:x",
      "data:text/html,<script>",
      "java\u0000script:x",
      "\u00a0javascript:alert(1)",
      "//evil.example/x",
      "\\\\evil.example/x",
    ]) {
      expect(renderNodes(el("a", { href }, "click")), href).toBe("<div>click</div>");
    }
    expect(renderNodes(el("img", { src: "data:text/html;base64,AAAA" }))).toBe("<div></div>");
    expect(renderNodes(el("img", { src: "data:image/png;base64,AAAA" }))).toContain('src="data:image/png;base64,AAAA"');
  });

  it("opens links leaving the site in a new tab, without the opener; customers' links are marked ugc", () => {
    const html = renderNodes(el("a", { href: "https://example.com/guide" }, "guide"));
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    const ugc = renderToStaticMarkup(<div>{htmlToReact([el("a", { href: "https://spam.example" }, "x")], { ugc: true })}</div>);
    expect(ugc).toContain('rel="noopener noreferrer nofollow ugc"');
    expect(render('<a href="https://spam.example">x</a>', { ugc: true })).toContain('rel="noopener noreferrer nofollow ugc"');
    const inside = renderNodes(el("a", { href: "/help/demo/articles/3" }, "other article"));
    expect(inside).toBe('<div><a href="/help/demo/articles/3">other article</a></div>');
    expect(renderNodes(el("a", { href: "mailto:help@example.com" }, "mail"))).toBe('<div><a href="mailto:help@example.com">mail</a></div>');
  });

  it("keeps the text of unknown elements, not the elements, and survives deep nesting", () => {
    expect(render('<p><font color="red">red</font> <blink>text</blink></p>')).toBe("<p>red text</p>");
    expect(render("<!-- raw HTML omitted --><p>x</p>")).toBe("<p>x</p>");
    expect(renderNodes(el("marquee", {}, "hello"))).toBe("<div>hello</div>");
    let deep: HtmlNode = text("bottom");
    for (let i = 0; i < 500; i++) deep = el("span", {}, deep);
    expect(() => renderNodes(deep)).not.toThrow();
    expect(() => render("<span>".repeat(5000) + "x")).not.toThrow();
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

  it("allows only web, mail and phone addresses, relative ones, and some images inline", () => {
    expect(safeUrl("https://a.test/x")).toBe("https://a.test/x");
    expect(safeUrl("/help/demo/articles/1")).toBe("/help/demo/articles/1");
    expect(safeUrl("#top")).toBe("#top");
    expect(safeUrl("relative/path", "link")).toBe("relative/path");
    expect(safeUrl("mailto:a@b.test")).toBe("mailto:a@b.test");
    expect(safeUrl("mailto:a@b.test", "image")).toBeNull();
    expect(safeUrl("tel:+84123", "link")).toBe("tel:+84123");
    expect(safeUrl("tel:+84123", "image")).toBeNull();
    expect(safeUrl("vbscript:x")).toBeNull();
    expect(safeUrl("\u0001javascript:x")).toBeNull();
    expect(safeUrl("\u0001https://a.test/x")).toBeNull();
    expect(safeUrl("\u00a0javascript:x")).toBeNull();
    expect(safeUrl("//evil.test/x")).toBeNull();
    expect(safeUrl("/\\evil.test/x")).toBeNull();
    expect(safeUrl("data:image/png;base64,AAAA", "image")).toBe("data:image/png;base64,AAAA");
    expect(safeUrl("data:image/jpg;base64,AAAA", "image")).toBe("data:image/jpg;base64,AAAA");
    expect(safeUrl("data:image/png;base64,AAAA", "link")).toBeNull();
    expect(safeUrl("data:image/svg+xml;base64,AAAA", "image")).toBeNull();
    expect(safeUrl("", "link")).toBeNull();
    expect(safeUrl(null, "link")).toBeNull();
  });
});
