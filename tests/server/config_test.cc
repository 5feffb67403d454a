// The server's configuration: defaults that follow the database, and clear refusals.
#include "server/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace kizuna::server {
namespace {

// A configuration file with `text`, removed at the end.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text)
      : path_(::testing::TempDir() + "kizuna_config_" + std::to_string(::getpid()) + "_" + std::to_string(++count_) + ".toml") {
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int count_ = 0;
  std::string path_;
};

TEST(ConfigTest, ReadWorkersFollowTheDatabaseUnlessSet) {
  // The environment would override the files.
  ::unsetenv("KIZUNA_DATABASE_URL");
  ::unsetenv("KIZUNA_SERVER_READ_WORKERS");
  ConfigFile sqlite("[server]\nlisten = \"127.0.0.1:8080\"\n");
  auto on_sqlite = LoadConfig(sqlite.path());
  ASSERT_TRUE(on_sqlite.ok()) << on_sqlite.error().message;
  EXPECT_EQ(on_sqlite->read_workers, 4);

  ConfigFile postgres("[database]\nurl = \"postgresql://kizuna@db.internal/kizuna\"\n");
  auto on_postgres = LoadConfig(postgres.path());
  ASSERT_TRUE(on_postgres.ok()) << on_postgres.error().message;
  EXPECT_EQ(on_postgres->read_workers, 16);

  ConfigFile set("[server]\nread_workers = 6\n[database]\nurl = \"postgresql://kizuna@db.internal/kizuna\"\n");
  auto chosen = LoadConfig(set.path());
  ASSERT_TRUE(chosen.ok()) << chosen.error().message;
  EXPECT_EQ(chosen->read_workers, 6);
}

TEST(ConfigTest, ReadWorkersOutOfRangeAreRefusedByName) {
  ::unsetenv("KIZUNA_SERVER_READ_WORKERS");
  for (const char* value : {"-1", "257"}) {
    ConfigFile bad(std::string("[server]\nread_workers = ") + value + "\n");
    auto config = LoadConfig(bad.path());
    ASSERT_FALSE(config.ok()) << value;
    EXPECT_EQ(config.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(config.error().message.find("read_workers"), std::string::npos) << config.error().message;
  }
}

}  // namespace
}  // namespace kizuna::server
