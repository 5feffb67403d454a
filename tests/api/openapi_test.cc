// docs/openapi.yaml describes exactly the routes the server has.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "api/router.h"

namespace kizuna::api {
namespace {

// "METHOD /path" for every operation under `paths:` (two-space path keys, four-space methods).
std::set<std::string> DocumentedOperations() {
  std::ifstream in(KIZUNA_OPENAPI);
  EXPECT_TRUE(in.good()) << KIZUNA_OPENAPI;
  std::set<std::string> out;
  std::string line;
  std::string path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') break;  // the next top-level key
    if (line.rfind("  /", 0) == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
    } else if (line.size() > 5 && line.rfind("    ", 0) == 0 && line[4] != ' ' && line.back() == ':') {
      std::string method = line.substr(4, line.size() - 5);
      for (const char* known : {"get", "post", "put", "patch", "delete"}) {
        if (method == known) {
          for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          out.insert(method + " " + path);
        }
      }
    }
  }
  return out;
}

TEST(OpenApi, EveryRouteIsDocumentedAndNothingElse) {
  std::set<std::string> routes;
  const Router router = BuildRouter();
  for (const auto& route : router.routes()) routes.insert(route.method + " " + route.pattern);
  std::set<std::string> documented = DocumentedOperations();
  for (const auto& r : routes) EXPECT_TRUE(documented.count(r)) << r << " is not in docs/openapi.yaml";
  for (const auto& d : documented) EXPECT_TRUE(routes.count(d)) << d << " is documented but not served";
  EXPECT_GT(routes.size(), 30u);
}

}  // namespace
}  // namespace kizuna::api
