// Plain HTTP request and response values passed between the Beast server and
// the handlers, so that handlers never include Boost.Beast.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kizuna::api {

struct HttpRequest {
  std::string method;                          // GET, POST, ...
  std::string path;                            // decoded path without the query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_address;
  std::map<std::string, std::string> params;   // path parameters, set by the router

  // The header value or empty.
  const std::string& Header(const std::string& lower_name) const;
  // The first query value, if present.
  const std::string* Query(const std::string& name) const;
  // The value of the named cookie or empty.
  std::string Cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void AddHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

// Splits "a=1&b=%E3%81%82" into decoded pairs. Invalid escapes are kept literally.
std::multimap<std::string, std::string> ParseQuery(std::string_view query);
// Percent-decodes a path or query component ("+" becomes a space only when asked).
std::string PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace kizuna::api
