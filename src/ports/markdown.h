// The Markdown port: articles, community posts and previews are written in Markdown
// (GitHub flavour) and shown as HTML. Implementation: adapters/markdown (cmark-gfm).
#pragma once

#include <string>
#include <string_view>

namespace kizuna::ports {

class Markdown {
 public:
  virtual ~Markdown() = default;
  // Safe HTML for `markdown` (valid UTF-8): raw HTML is dropped, and no script element,
  // event-handler attribute or javascript:/vbscript:/data: link survives. Tables,
  // strikethrough, autolinks and task lists are rendered. Never fails.
  virtual std::string ToHtml(std::string_view markdown) const = 0;
  // The text a reader sees (for search and snippets): no markup, blocks separated by newlines.
  virtual std::string ToText(std::string_view markdown) const = 0;
};

}  // namespace kizuna::ports
