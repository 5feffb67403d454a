// The relevance set (tests/data/search): every article indexed as a public help-centre
// article, every query run as a customer in its language; nDCG@3 must average at least 0.9.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "adapters/search/fts5_index.h"

namespace kizuna::search {
namespace {

using nlohmann::json;

std::string DataDir() {
  const char* env = std::getenv("KIZUNA_SEARCH_DATA");
  return env && *env ? env : KIZUNA_SEARCH_DATA;
}

std::vector<json> ReadJsonLines(const std::string& path) {
  std::vector<json> out;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    out.push_back(json::parse(line));
  }
  return out;
}

// nDCG@k with linear gains (the grade) and the log2(rank + 1) discount; the ideal ranking is
// the grades sorted. Queries with no relevant article count 1 when nothing is found.
double NdcgAt(const std::vector<std::int64_t>& ranked, const std::map<std::int64_t, int>& grades, std::size_t k) {
  double dcg = 0, ideal = 0;
  for (std::size_t i = 0; i < std::min(k, ranked.size()); ++i) {
    auto it = grades.find(ranked[i]);
    if (it != grades.end()) dcg += it->second / std::log2(static_cast<double>(i) + 2);
  }
  std::vector<int> sorted;
  for (const auto& [id, g] : grades) sorted.push_back(g);
  std::sort(sorted.rbegin(), sorted.rend());
  for (std::size_t i = 0; i < std::min(k, sorted.size()); ++i) ideal += sorted[i] / std::log2(static_cast<double>(i) + 2);
  if (ideal == 0) return ranked.empty() ? 1.0 : 0.0;
  return dcg / ideal;
}

TEST(SearchRelevanceMetric, NdcgOfPerfectAndReversedRankings) {
  std::map<std::int64_t, int> grades{{1, 3}, {2, 2}, {3, 1}};
  EXPECT_DOUBLE_EQ(NdcgAt({1, 2, 3}, grades, 3), 1.0);
  EXPECT_LT(NdcgAt({3, 2, 1}, grades, 3), 0.9);
  EXPECT_DOUBLE_EQ(NdcgAt({7, 8, 9}, grades, 3), 0.0);
  EXPECT_DOUBLE_EQ(NdcgAt({1}, {{1, 2}}, 3), 1.0);
}

TEST(SearchRelevance, NdcgAt3OfTheRelevanceSetIsAtLeast0_9) {
  const std::string dir = DataDir();
  auto articles = ReadJsonLines(dir + "/articles.jsonl");
  auto queries = ReadJsonLines(dir + "/queries.jsonl");
  ASSERT_FALSE(articles.empty());
  ASSERT_FALSE(queries.empty());

  std::string pattern = (std::filesystem::temp_directory_path() / "kizuna-relevance-XXXXXX").string();
  std::string tmp = mkdtemp(pattern.data());
  {
    auto opened = OpenSearchIndex(tmp + "/search.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto index = std::move(opened).value();
    const Timestamp now = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    std::vector<ports::SearchDoc> docs;
    for (const auto& a : articles) {
      ports::SearchDoc d;
      d.workspace_id = 1;
      d.kind = "article";
      d.ref_id = a.at("id").get<std::int64_t>();
      d.locale = a.at("locale").get<std::string>();
      d.title = a.at("title").get<std::string>();
      d.body = a.at("body").get<std::string>();
      for (const auto& tag : a.value("tags", json::array())) d.tags += tag.get<std::string>() + " ";
      d.is_public = true;
      double yes = a.value("helpful_yes", 0), no = a.value("helpful_no", 0);
      d.helpfulness = (yes + 1) / (yes + no + 2);
      d.updated_at = now - a.value("updated_days_ago", 0) * 86'400'000LL;
      docs.push_back(std::move(d));
    }
    ASSERT_TRUE(index->Upsert(docs).ok());

    struct Outcome {
      double ndcg;
      std::string id, locale, query, note;
      std::vector<std::int64_t> got;
      std::map<std::int64_t, int> grades;
    };
    std::vector<Outcome> outcomes;
    std::map<std::string, std::pair<double, int>> by_locale;
    for (const auto& q : queries) {
      ports::SearchQuery sq;
      sq.workspace_id = 1;
      sq.text = q.at("query").get<std::string>();
      sq.locale = q.value("locale", "");
      sq.agent = false;
      sq.customer = 1;
      sq.limit = 10;
      auto hits = index->Search(sq);
      ASSERT_TRUE(hits.ok()) << hits.error().message;
      std::vector<std::int64_t> got;
      std::set<std::int64_t> seen;
      for (const auto& h : *hits)
        if (seen.insert(h.ref_id).second) got.push_back(h.ref_id);
      std::map<std::int64_t, int> grades;
      for (const auto& [id, g] : q.at("relevant").items()) grades[std::stoll(id)] = g.get<int>();
      Outcome o{NdcgAt(got, grades, 3), q.at("id").dump(), sq.locale, sq.text, q.value("note", ""), got, grades};
      by_locale[o.locale].first += o.ndcg;
      by_locale[o.locale].second += 1;
      outcomes.push_back(std::move(o));
    }
    double sum = 0;
    for (const auto& o : outcomes) sum += o.ndcg;
    double mean = sum / static_cast<double>(outcomes.size());
    std::cout << std::fixed << std::setprecision(3) << "nDCG@3 over " << outcomes.size() << " queries, "
              << articles.size() << " articles: " << mean << "\n";
    for (const auto& [locale, v] : by_locale)
      std::cout << "  " << locale << ": " << v.first / v.second << " (" << v.second << " queries)\n";
    std::stable_sort(outcomes.begin(), outcomes.end(), [](const auto& a, const auto& b) { return a.ndcg < b.ndcg; });
    std::cout << "worst queries:\n";
    for (std::size_t i = 0; i < outcomes.size() && i < 12 && outcomes[i].ndcg < 1.0; ++i) {
      const auto& o = outcomes[i];
      std::cout << "  " << o.ndcg << "  #" << o.id << " [" << o.locale << "] " << o.query << "\n     got:";
      for (std::size_t j = 0; j < o.got.size() && j < 5; ++j) std::cout << " " << o.got[j];
      std::cout << "  want:";
      for (const auto& [id, g] : o.grades) std::cout << " " << id << "(" << g << ")";
      std::cout << "  — " << o.note << "\n";
    }
    EXPECT_GE(mean, 0.9);
  }
  std::filesystem::remove_all(tmp);
}

}  // namespace
}  // namespace kizuna::search
