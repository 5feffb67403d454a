#include "api/static_site.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kizuna::api {
namespace {

std::string ContentType(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},                {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},   {".map", "application/json"}};
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

HttpResponse Page(const std::string& content_type, const std::string& body, bool immutable) {
  HttpResponse response;
  response.content_type = content_type;
  response.body = body;
  response.AddHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.AddHeader("Content-Security-Policy", kContentSecurityPolicy);
  response.AddHeader("Referrer-Policy", "same-origin");
  response.AddHeader("X-Frame-Options", "DENY");
  return response;
}

}  // namespace

StaticSite StaticSite::Load(const std::string& dir) {
  StaticSite site;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return site;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    std::string key = "/" + std::filesystem::relative(it->path(), dir).generic_string();
    site.files_[key] = File{ContentType(it->path()), body.str()};
  }
  return site;
}

std::optional<HttpResponse> StaticSite::Serve(const std::string& path) const {
  std::string key = path == "/" ? "/index.html" : path;
  if (auto it = files_.find(key); it != files_.end()) {
    // Vite names assets by content hash: they never change under the same name.
    return Page(it->second.content_type, it->second.body, key.starts_with("/assets/"));
  }
  if (key.starts_with("/assets/") || key.starts_with("/api/")) return std::nullopt;
  // The help centre is its own small app: /help/{workspace}/... serves portal.html.
  const bool help_centre = key == "/help" || key.starts_with("/help/");
  auto index = files_.find(help_centre ? "/portal.html" : "/index.html");
  if (index == files_.end()) return std::nullopt;
  return Page(index->second.content_type, index->second.body, false);
}

}  // namespace kizuna::api
