// ports::Markdown on cmark-gfm: GitHub-flavoured Markdown (tables, strikethrough, autolinks,
// task lists) rendered in safe mode, then passed through the HTML sanitiser of the email
// channel (email::SanitiseHtml, Markdown policy) so that no script, event handler or
// javascript:/vbscript:/data: URL survives even where cmark-gfm lets one through.
#pragma once

#include <memory>

#include "ports/markdown.h"

namespace kizuna::markdown {

// Thread-safe: every call parses with a parser of its own.
std::unique_ptr<ports::Markdown> NewCmarkMarkdown();

}  // namespace kizuna::markdown
