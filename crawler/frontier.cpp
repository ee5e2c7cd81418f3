#include "crawler/frontier.h"

#include <algorithm>

namespace nh::crawler {

namespace {
constexpr std::pair<UrlKind, std::string_view> kKindNames[] = {
    {UrlKind::seed, "seed"},       {UrlKind::sitemap, "sitemap"},
    {UrlKind::feed, "feed"},       {UrlKind::list, "list"},
    {UrlKind::article, "article"}, {UrlKind::continuation, "continuation"},
    {UrlKind::other, "other"},
};
}  // namespace

std::string_view to_string(UrlKind kind) {
  for (const auto& [k, name] : kKindNames)
    if (k == kind) return name;
  return "other";
}

UrlKind url_kind(std::string_view name) {
  for (const auto& [k, n] : kKindNames)
    if (n == name) return k;
  return UrlKind::other;
}

int priority_of(UrlKind kind) {
  switch (kind) {
    case UrlKind::continuation:
      return 0;
    case UrlKind::seed:
    case UrlKind::sitemap:
    case UrlKind::feed:
      return 1;
    case UrlKind::list:
      return 2;
    case UrlKind::article:
      return 3;
    case UrlKind::other:
      break;
  }
  return 4;
}

std::chrono::milliseconds backoff(int attempts, std::chrono::milliseconds base,
                                  std::chrono::milliseconds cap,
                                  std::chrono::milliseconds retry_after, std::mt19937_64& rng) {
  using std::chrono::milliseconds;
  attempts = std::clamp(attempts, 1, 30);
  long long ms = base.count();
  for (int i = 1; i < attempts && ms < cap.count(); ++i) ms *= 2;
  ms = std::min<long long>(ms, cap.count());
  std::uniform_int_distribution<long long> jitter(0, ms / 4);
  ms += jitter(rng);
  // Retry-After is the server's explicit request: never retry sooner, but do not let a huge
  // value stall the run either.
  long long ra = std::min<long long>(retry_after.count(), cap.count());
  return milliseconds(std::max(ms, ra));
}

}  // namespace nh::crawler
