// kizuna-search-bench: the search index (adapters/search, SQLite FTS5 with our tokenizer) at
// the size issue 7 names. Synthetic but shaped like a help desk: four languages (English 40%,
// Japanese 25%, Korean 20%, Vietnamese 15%), words drawn with a Zipf law from a vocabulary of
// support words per language plus pseudo-words (product names, codes, surnames) so the
// vocabulary is large, tickets spread over five years, one workspace (the worst case for
// agents), 50,000 customers owning the tickets.
//
// Steps: 100,000 articles/topics in bulk batches of 1,000; 1,000,000 tickets in bulk batches
// of 1,000 (the full rebuild); 20,000 more tickets in batches of 50 with a cursor, as the
// indexer adds them; then search latency (one thread, after a warm-up) of a few hundred
// queries of mixed languages and lengths, as an agent and as a customer, including
// queries whose only matches are five-year-old tickets.
//
// Run: build/bench/kizuna-search-bench [DIR] [ARTICLES] [TICKETS]
// (defaults: a temporary directory, 100000, 1000000; the index file is removed at the end
// unless DIR is given).
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "adapters/search/fts5_index.h"

using namespace kizuna;
using Clock = std::chrono::steady_clock;

namespace {

constexpr WorkspaceId kWs = 1;
constexpr int kCustomers = 50'000;
constexpr Timestamp kDayMs = 86'400'000;

const std::vector<std::string> kEn = {
    "the", "to", "and", "a", "i", "my", "is", "of", "for", "it", "in", "not", "on", "you", "your", "can", "with",
    "please", "order", "account", "password", "refund", "payment", "invoice", "shipping", "delivery", "help",
    "cancel", "subscription", "login", "email", "app", "error", "update", "billing", "card", "charge", "return",
    "item", "package", "tracking", "address", "change", "reset", "problem", "issue", "working", "support",
    "customer", "service", "price", "discount", "coupon", "code", "plan", "upgrade", "downgrade", "trial",
    "receipt", "tax", "export", "import", "data", "report", "settings", "notification", "phone", "mobile",
    "android", "iphone", "browser", "chrome", "download", "install", "crash", "slow", "sync", "backup",
    "restore", "delete", "remove", "add", "user", "team", "permission", "admin", "security", "two", "factor",
    "authentication", "verify", "verification", "link", "expired", "session", "timeout", "damaged", "broken",
    "missing", "wrong", "size", "color", "exchange", "warranty", "repair", "replacement", "store", "credit",
    "gift", "voucher", "bank", "transfer", "paypal", "declined", "failed", "duplicate", "twice", "charged",
    "monthly", "yearly", "renewal", "auto", "stop", "pause", "resume", "weekend", "holiday", "hours", "contact",
    "chat", "call", "agent", "waiting", "days", "week", "yesterday", "today", "still", "arrived", "received",
    "sent", "replied", "replies", "answer", "question", "thanks", "urgent", "asap", "manager", "complaint"};
const std::vector<std::string> kJa = {
    "注文", "返金", "パスワード", "ログイン", "アカウント", "配送", "請求書", "支払い", "キャンセル", "解約",
    "メール", "アプリ", "エラー", "更新", "クレジットカード", "返品", "商品", "荷物", "追跡", "住所", "変更",
    "再設定", "問題", "お問い合わせ", "サポート", "料金", "割引", "クーポン", "プラン", "領収書", "税金",
    "データ", "設定", "通知", "スマートフォン", "ダウンロード", "インストール", "同期", "バックアップ", "削除",
    "追加", "ユーザー", "権限", "管理者", "二段階認証", "確認", "リンク", "期限切れ", "破損", "不足", "交換",
    "保証", "修理", "ギフト", "銀行振込", "二重", "請求", "毎月", "自動", "停止", "営業時間", "担当者", "届かない",
    "届きました", "至急", "お願いします", "できません", "について", "したい", "ありがとうございます", "困っています",
    "です", "ます", "の", "を", "が", "に", "は", "て", "た", "から", "まで"};
const std::vector<std::string> kKo = {
    "주문", "환불", "비밀번호", "로그인", "계정", "배송", "청구서", "결제", "취소", "해지", "이메일", "앱", "오류",
    "업데이트", "신용카드", "반품", "상품", "택배", "추적", "주소", "변경", "재설정", "문제", "문의", "지원",
    "요금", "할인", "쿠폰", "플랜", "영수증", "세금", "데이터", "설정", "알림", "스마트폰", "다운로드", "설치",
    "동기화", "백업", "삭제", "추가", "사용자", "권한", "관리자", "인증", "확인", "링크", "만료", "파손", "누락",
    "교환", "보증", "수리", "선물", "계좌이체", "중복", "청구", "매월", "자동", "중지", "영업시간", "상담원",
    "도착하지", "않았습니다", "급합니다", "부탁드립니다", "할", "수", "없습니다", "하고", "싶어요", "감사합니다",
    "을", "를", "이", "가", "은", "는", "에서", "으로"};
const std::vector<std::string> kVi = {
    "tôi", "không", "được", "đơn hàng", "hoàn tiền", "mật khẩu", "đăng nhập", "tài khoản", "giao hàng", "hóa đơn",
    "thanh toán", "hủy", "gói", "email", "ứng dụng", "lỗi", "cập nhật", "thẻ tín dụng", "trả hàng", "sản phẩm",
    "kiện hàng", "theo dõi", "địa chỉ", "thay đổi", "đặt lại", "vấn đề", "hỗ trợ", "giá", "giảm giá", "mã",
    "biên lai", "thuế", "dữ liệu", "cài đặt", "thông báo", "điện thoại", "tải xuống", "đồng bộ", "sao lưu", "xóa",
    "thêm", "người dùng", "quyền", "quản trị", "xác minh", "liên kết", "hết hạn", "hư hỏng", "thiếu", "đổi trả",
    "bảo hành", "sửa chữa", "quà tặng", "chuyển khoản", "trùng lặp", "hàng tháng", "tự động", "dừng", "giờ làm việc",
    "nhân viên", "chưa nhận", "gấp", "xin", "cảm ơn", "của", "và", "là", "có", "cho", "với", "đã", "sẽ", "bị"};

// Pseudo-words (product names, surnames, codes): a large Latin vocabulary like real data has.
std::string PseudoWord(std::mt19937_64& rng) {
  static const char* syll[] = {"ka", "ro", "mi", "ten", "zu", "lo", "bra", "vex", "qui", "dor", "fen", "sal",
                               "tri", "nok", "mar", "pel", "gus", "hav", "jin", "wex", "yor", "cal", "dri", "sto"};
  std::uniform_int_distribution<int> n(2, 4), s(0, 23);
  std::string w;
  int k = n(rng);
  for (int i = 0; i < k; ++i) w += syll[s(rng)];
  return w;
}

class TextGen {
 public:
  explicit TextGen(std::uint64_t seed) : rng_(seed) {
    for (const auto* v : {&kEn, &kJa, &kKo, &kVi}) {
      std::vector<double> w;
      for (std::size_t i = 0; i < v->size(); ++i) w.push_back(1.0 / std::pow(static_cast<double>(i) + 1.5, 0.9));
      zipf_.emplace_back(w.begin(), w.end());
    }
  }
  std::mt19937_64& rng() { return rng_; }
  // lang: 0 en, 1 ja, 2 ko, 3 vi.
  std::string Words(int lang, int count) {
    const std::vector<std::string>* vocab[] = {&kEn, &kJa, &kKo, &kVi};
    std::uniform_real_distribution<double> u(0, 1);
    std::string out;
    for (int i = 0; i < count; ++i) {
      std::string w;
      if (u(rng_) < 0.06) {
        w = PseudoWord(rng_);
      } else if (u(rng_) < 0.02) {
        w = std::to_string(std::uniform_int_distribution<int>(100, 9'999'999)(rng_));
      } else {
        w = (*vocab[lang])[zipf_[static_cast<std::size_t>(lang)](rng_)];
      }
      // Japanese is written without spaces; sentences end with 。
      if (lang == 1) {
        out += w;
        if (u(rng_) < 0.1) out += "。";
      } else {
        if (!out.empty()) out += ' ';
        out += w;
        if (u(rng_) < 0.08) out += '.';
      }
    }
    return out;
  }
  int Lang() {
    double x = std::uniform_real_distribution<double>(0, 1)(rng_);
    return x < 0.40 ? 0 : x < 0.65 ? 1 : x < 0.85 ? 2 : 3;
  }

 private:
  std::mt19937_64 rng_;
  std::vector<std::discrete_distribution<std::size_t>> zipf_;
};

const char* kLocales[] = {"en", "ja", "ko", "vi"};

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

Timestamp NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

ports::SearchDoc Ticket(TextGen& gen, std::int64_t id, Timestamp now) {
  ports::SearchDoc d;
  d.workspace_id = kWs;
  d.kind = "ticket";
  d.ref_id = id;
  int lang = gen.Lang();
  d.title = gen.Words(lang, 6);
  d.body = gen.Words(lang, 60);
  if (id % 4 == 0) d.internal = gen.Words(lang, 12);
  d.owner = static_cast<CustomerId>(id % kCustomers) + 1;
  d.updated_at = now - static_cast<Timestamp>(gen.rng()() % (5 * 365)) * kDayMs;
  return d;
}

struct Latency {
  std::vector<double> ms;
  double Pct(double p) {
    std::sort(ms.begin(), ms.end());
    if (ms.empty()) return 0;
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
  }
};

// CPU time of the calling thread: on a machine others are using, the part of a latency that
// is ours.
double ThreadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int Fail(const Error& e) {
  std::fprintf(stderr, "kizuna-search-bench: %s\n", e.message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  bool keep = argc > 1;
  if (keep) {
    dir = argv[1];
    std::filesystem::create_directories(dir);
  } else {
    std::string pattern = (std::filesystem::temp_directory_path() / "kizuna-search-bench-XXXXXX").string();
    dir = mkdtemp(pattern.data());
  }
  const long n_articles = argc > 2 ? std::atol(argv[2]) : 100'000;
  const long n_tickets = argc > 3 ? std::atol(argv[3]) : 1'000'000;
  const std::string path = dir + "/search.db";
  // SEARCH_BENCH_REUSE=1 with DIR: search an index built by an earlier run with the same
  // sizes (the text is generated again, deterministically, but not indexed).
  const bool reuse = keep && std::getenv("SEARCH_BENCH_REUSE") && std::string(std::getenv("SEARCH_BENCH_REUSE")) == "1";
  if (!reuse) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  search::SearchIndexOptions options;
  if (const char* v = std::getenv("SEARCH_SCAN_LIMIT")) options.scan_limit = std::atoi(v);
  if (const char* v = std::getenv("SEARCH_WALK_BUDGET")) options.walk_budget = std::atoi(v);
  if (const char* v = std::getenv("SEARCH_SCAN_WINDOW")) options.scan_window = std::atoi(v);
  auto opened = search::OpenSearchIndex(path, options);
  if (!opened.ok()) return Fail(opened.error());
  auto index = std::move(opened).value();
  TextGen gen(42);
  const Timestamp now = NowMs();

  // 1. Articles and topics: public, in one language each, helpfulness known.
  auto t0 = Clock::now();
  std::vector<ports::SearchDoc> batch;
  for (long i = 1; i <= n_articles; ++i) {
    ports::SearchDoc d;
    d.workspace_id = kWs;
    d.kind = i % 3 == 0 ? "topic" : "article";
    d.ref_id = i;
    int lang = gen.Lang();
    d.locale = kLocales[lang];
    d.title = gen.Words(lang, 7);
    d.body = gen.Words(lang, 150);
    d.tags = gen.Words(0, 3);
    d.is_public = true;
    d.helpfulness = std::uniform_real_distribution<double>(0, 1)(gen.rng());
    d.updated_at = now - static_cast<Timestamp>(gen.rng()() % (3 * 365)) * kDayMs;
    batch.push_back(std::move(d));
    if (batch.size() == 1000 || i == n_articles) {
      auto s = reuse ? Ok() : index->Upsert(batch, i);
      if (!s.ok()) return Fail(s.error());
      batch.clear();
    }
  }
  auto t1 = Clock::now();
  std::printf("articles/topics: %ld in %.1f s (%.0f docs/s, batches of 1,000)\n", n_articles, Seconds(t0, t1),
              static_cast<double>(n_articles) / Seconds(t0, t1));
  std::fflush(stdout);

  // 2. The full rebuild of the tickets, in bulk batches. Every 10,000th ticket of the oldest
  // gets a distinctive word for the old-document queries below.
  std::vector<std::string> old_words;
  t0 = Clock::now();
  for (long i = 1; i <= n_tickets; ++i) {
    auto d = Ticket(gen, i, now);
    if (i % 10'000 == 0) {
      d.updated_at = now - (5 * 365 + static_cast<Timestamp>(i % 30)) * kDayMs;
      std::string w = "legacyref" + PseudoWord(gen.rng());
      d.body += " " + w;
      old_words.push_back(w);
    }
    batch.push_back(std::move(d));
    if (batch.size() == 1000 || i == n_tickets) {
      auto s = reuse ? Ok() : index->Upsert(batch, n_articles + i);
      if (!s.ok()) return Fail(s.error());
      batch.clear();
    }
    if (i % 200'000 == 0) {
      std::printf("  tickets: %ld after %.1f s\n", i, Seconds(t0, Clock::now()));
      std::fflush(stdout);
    }
  }
  t1 = Clock::now();
  double rebuild = Seconds(t0, t1);
  std::printf("tickets (full rebuild): %ld in %.1f s (%.0f docs/s, batches of 1,000)\n", n_tickets, rebuild,
              static_cast<double>(n_tickets) / rebuild);

  // After the rebuild, as the rebuild command does: merge the segments.
  if (!reuse || std::getenv("SEARCH_BENCH_OPTIMIZE")) {
    t0 = Clock::now();
    auto s = index->Optimize();
    if (!s.ok()) return Fail(s.error());
    std::printf("optimize after the rebuild: %.1f s\n", Seconds(t0, Clock::now()));
    std::fflush(stdout);
  }

  // 3. The indexer's steady state: new tickets in batches of 50, each with its cursor.
  const long n_new = reuse && !std::getenv("SEARCH_BENCH_INCREMENTAL") ? 0 : 20'000;
  t0 = Clock::now();
  for (long i = 1; i <= n_new; ++i) {
    batch.push_back(Ticket(gen, n_tickets + i, now));
    if (batch.size() == 50) {
      auto s = index->Upsert(batch, n_articles + n_tickets + i);
      if (!s.ok()) return Fail(s.error());
      batch.clear();
    }
  }
  t1 = Clock::now();
  std::printf("incremental: %ld tickets in batches of 50 in %.1f s (%.0f docs/s)\n", n_new, Seconds(t0, t1),
              static_cast<double>(n_new) / Seconds(t0, t1));
  std::fflush(stdout);

  // 4. Search latency.
  struct Q {
    std::string text;
    std::string kind;
  };
  std::vector<Q> queries;
  std::mt19937_64 qrng(7);
  auto pick = [&](const std::vector<std::string>& v, std::size_t top) {
    return v[qrng() % std::min(top, v.size())];
  };
  for (int r = 0; r < 25; ++r) {
    queries.push_back({pick(kEn, 40), "en 1 common word"});
    queries.push_back({pick(kEn, 160) + " " + pick(kEn, 160), "en 2 words"});
    queries.push_back({"how do i " + pick(kEn, 160) + " my " + pick(kEn, 160) + " " + pick(kEn, 160), "en sentence"});
    std::string typo = pick(kEn, 160);
    if (typo.size() >= 5) std::swap(typo[2], typo[3]);
    queries.push_back({typo, "en typo"});
    queries.push_back({pick(kJa, 40), "ja word"});
    queries.push_back({pick(kJa, 70) + pick(kJa, 70) + "できません", "ja sentence"});
    queries.push_back({pick(kJa, 40).substr(0, 3), "ja 1 character"});  // one kanji or kana (3 bytes)
    queries.push_back({pick(kKo, 40), "ko word"});
    queries.push_back({pick(kKo, 70) + " " + pick(kKo, 70) + "을", "ko 2 words"});
    queries.push_back({pick(kVi, 60), "vi word"});
    queries.push_back({pick(kVi, 60) + " " + pick(kVi, 60), "vi 2 words"});
    queries.push_back({old_words[qrng() % old_words.size()], "old ticket (5 years)"});
  }
  // SEARCH_BENCH_KIND=K: only the queries of kind K (to profile one kind).
  if (const char* k = std::getenv("SEARCH_BENCH_KIND"))
    queries.erase(std::remove_if(queries.begin(), queries.end(), [&](const Q& q) { return q.kind != k; }),
                  queries.end());
  // Warm the caches as a running server would be.
  for (const auto& q : queries) {
    ports::SearchQuery sq;
    sq.workspace_id = kWs;
    sq.text = q.text;
    sq.agent = true;
    (void)index->Search(sq);
  }
  const double slow_ms = std::getenv("SEARCH_BENCH_SLOW") ? std::atof(std::getenv("SEARCH_BENCH_SLOW")) : 0;
  for (bool agent : {true, false}) {
    Latency all, all_cpu;
    std::map<std::string, Latency> by_kind, by_kind_cpu;
    int old_found = 0, old_total = 0;
    for (int round = 0; round < 2; ++round) {
      for (std::size_t qi = 0; qi < queries.size(); ++qi) {
        const auto& q = queries[qi];
        ports::SearchQuery sq;
        sq.workspace_id = kWs;
        sq.text = q.text;
        sq.agent = agent;
        sq.customer = agent ? std::nullopt : std::optional<CustomerId>(static_cast<CustomerId>(qi % kCustomers) + 1);
        // Customers search as the help centre does: in their language, 10 results.
        sq.locale = kLocales[qi % 4];
        sq.limit = 10;
        double cpu0 = ThreadCpuMs();
        auto a = Clock::now();
        auto hits = index->Search(sq);
        double ms = Seconds(a, Clock::now()) * 1000;
        double cpu = ThreadCpuMs() - cpu0;
        if (!hits.ok()) return Fail(hits.error());
        // SEARCH_BENCH_SLOW=MS: name the queries slower than MS (thread CPU), to see which.
        if (slow_ms > 0 && cpu > slow_ms)
          std::printf("  slow: %6.2f ms CPU  %s  [%s, %s] %zu hits\n", cpu, q.kind.c_str(), q.text.c_str(),
                      sq.locale.c_str(), hits->size());
        all.ms.push_back(ms);
        all_cpu.ms.push_back(cpu);
        by_kind[q.kind].ms.push_back(ms);
        by_kind_cpu[q.kind].ms.push_back(cpu);
        if (q.kind.rfind("old", 0) == 0 && agent && round == 0) {
          ++old_total;
          if (!hits->empty()) ++old_found;
        }
      }
    }
    std::printf("search as %s: %zu queries, median %.2f ms, p99 %.2f ms, max %.2f ms"
                " (thread CPU: median %.2f ms, p99 %.2f ms)\n",
                agent ? "agent" : "customer", all.ms.size(), all.Pct(0.5), all.Pct(0.99), all.Pct(1.0),
                all_cpu.Pct(0.5), all_cpu.Pct(0.99));
    for (auto& [kind, lat] : by_kind)
      std::printf("  %-22s median %7.2f ms  p99 %7.2f ms  (CPU median %6.2f, p99 %6.2f)\n", kind.c_str(),
                  lat.Pct(0.5), lat.Pct(0.99), by_kind_cpu[kind].Pct(0.5), by_kind_cpu[kind].Pct(0.99));
    if (agent) std::printf("  five-year-old tickets found: %d of %d\n", old_found, old_total);
  }
  std::error_code ec;
  std::printf("index file: %.0f MB\n",
              static_cast<double>(std::filesystem::file_size(path, ec)) / (1024.0 * 1024.0));
  index.reset();
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
