// StaticSite: the built web app (web/dist), held in memory and served with an SPA fallback.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/http.h"

namespace kizuna::api {

class StaticSite {
 public:
  // Loads every file under `dir`. An empty or missing directory gives an empty site.
  static StaticSite Load(const std::string& dir);

  bool empty() const { return files_.empty(); }
  // The file at `path`; for other app routes index.html (the agent app) or, under
  // /help/, portal.html (the help centre); nullopt when nothing fits (an unknown
  // /assets/ file, say).
  std::optional<HttpResponse> Serve(const std::string& path) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File> files_;  // "/index.html", "/assets/app-1a2b.js"
};

// The Content-Security-Policy of every page: nothing from elsewhere, no inline script.
inline constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

}  // namespace kizuna::api
