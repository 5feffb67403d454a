// Replays fuzz inputs without libFuzzer: each argument is a file or a directory of files.
// CTest runs every checked-in corpus through this, so each past find stays fixed.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int arg_idx = 1; arg_idx < argc; ++arg_idx) {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::is_directory(argv[arg_idx])) {
      for (const auto& entry : std::filesystem::directory_iterator(argv[arg_idx])) files.push_back(entry.path());
    } else {
      files.emplace_back(argv[arg_idx]);
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++count;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return count > 0 ? 0 : 1;
}
