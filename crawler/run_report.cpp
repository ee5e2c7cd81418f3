#include "crawler/run_report.h"

#include <unistd.h>

#include <cstdio>

#include "crawler/urls.h"

namespace nh::crawler {

using std::chrono::milliseconds;

ProgressReport::ProgressReport(ProgressMode mode, std::ostream& log, bool log_is_stderr,
                               std::chrono::seconds interval)
    : mode_(mode), log_(log), interval_(interval) {
  if (mode_ == ProgressMode::automatic)
    mode_ = (log_is_stderr && isatty(2)) ? ProgressMode::bar : ProgressMode::lines;
}

void ProgressReport::update(const CrawlResult& result, std::size_t queued, bool final) {
  const auto now = Clock::now();
  const double secs = std::chrono::duration<double>(now - started_).count();
  const auto& c = result.counts;
  if (final) {
    // --quiet: nothing on success (a bare crontab entry mails only when something is wrong).
    if (mode_ == ProgressMode::quiet && result.status == store::RunStatus::ok) return;
    if (mode_ == ProgressMode::bar) log_ << "\r\x1b[K";
    log_ << result.summary_line() << "\n";
    log_.flush();
    return;
  }
  if (mode_ == ProgressMode::quiet) return;
  const double rate = secs > 0 ? static_cast<double>(result.requests) / secs : 0.0;
  char buf[256];
  if (mode_ == ProgressMode::bar) {
    if (now - last_progress_ < milliseconds(200)) return;
    last_progress_ = now;
    const double done = static_cast<double>(c.pages_fetched + c.pages_failed);
    const double total = done + static_cast<double>(queued);
    const int width = 24;
    const int filled = total > 0 ? static_cast<int>(width * done / total) : 0;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    std::snprintf(
        buf, sizeof buf,
        "\r\x1b[K%s [%s] %lld done, %zu queued, %lld new articles, %lld errors, %.1f req/s",
        result.site.c_str(), bar.c_str(), static_cast<long long>(done), queued,
        static_cast<long long>(c.articles_new), static_cast<long long>(c.pages_failed), rate);
    log_ << buf;
    log_.flush();
    return;
  }
  if (now - last_line_ < interval_) return;
  last_line_ = now;
  std::snprintf(buf, sizeof buf,
                "site %s: %lld pages, %zu queued, %lld articles new, %lld failed, %.1f req/s, "
                "%.0fs\n",
                result.site.c_str(), static_cast<long long>(c.pages_fetched), queued,
                static_cast<long long>(c.articles_new), static_cast<long long>(c.pages_failed),
                rate, secs);
  log_ << buf;
  log_.flush();
}

std::vector<std::string> drift_alarms(CrawlStore& db, const config::Config& cfg,
                                      std::int64_t run_id, const store::RunCounts& counts) {
  std::vector<std::string> out;
  const config::DriftPolicy& d = cfg.drift;
  const store::RunCounts& c = counts;
  char buf[512];
  if (c.list_pages > 0) {
    const double mean =
        static_cast<double>(c.list_article_links) / static_cast<double>(c.list_pages);
    if (mean < d.min_article_links_per_list_page) {
      std::snprintf(buf, sizeof buf,
                    "list pages yielded %.1f article links each over %lld list pages (minimum "
                    "%.1f): did the list template or the article URL shape change?",
                    mean, static_cast<long long>(c.list_pages), d.min_article_links_per_list_page);
      out.emplace_back(buf);
    }
  }
  const auto fills = db.run_fill_counts(run_id);
  const auto it = fills.find(cfg.name);
  if (it == fills.end() || it->second.articles < d.min_articles) return out;
  const store::FillCounts& now = it->second;
  std::vector<store::FillCounts> base;
  for (const store::RunSummary& r : db.recent_runs(cfg.name, d.baseline_runs * 4 + 20, run_id)) {
    if (r.status != "ok" && r.status != "degraded") continue;
    if (r.fill.articles < d.min_articles || !r.alarms.empty()) continue;
    base.push_back(r.fill);
    if (static_cast<int>(base.size()) >= d.baseline_runs) break;
  }
  if (base.empty()) return out;
  struct Field {
    const char* name;
    std::int64_t store::FillCounts::*count;
    double min_share;
  };
  const Field fields[] = {
      {"title", &store::FillCounts::title, d.min_title_fill},
      {"published_at", &store::FillCounts::published_at, d.min_published_at_fill},
      {"body", &store::FillCounts::body, d.min_body_fill}};
  auto rate = [](const store::FillCounts& f, std::int64_t store::FillCounts::*m) {
    return static_cast<double>(f.*m) / static_cast<double>(f.articles);
  };
  for (const Field& f : fields) {
    double baseline = 0;
    for (const auto& b : base) baseline += rate(b, f.count);
    baseline /= static_cast<double>(base.size());
    const double current = rate(now, f.count);
    if (baseline > 0 && current < baseline * f.min_share) {
      std::snprintf(buf, sizeof buf,
                    "%s filled in %.0f%% of %lld articles, baseline %.0f%% over the last %zu "
                    "run(s), alarm below %.0f%%: did the article template change?",
                    f.name, current * 100, static_cast<long long>(now.articles), baseline * 100,
                    base.size(), baseline * f.min_share * 100);
      out.emplace_back(buf);
    }
  }
  return out;
}

std::string CrawlResult::summary_line() const {
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "site %s: %lld pages, %lld articles new, %lld changed, %lld failed, %lld requests "
                "(%lld not modified) in %.1fs",
                site.c_str(), static_cast<long long>(counts.pages_fetched),
                static_cast<long long>(counts.articles_new),
                static_cast<long long>(counts.articles_changed),
                static_cast<long long>(counts.pages_failed), static_cast<long long>(requests),
                static_cast<long long>(counts.not_modified), seconds);
  std::string s = buf;
  if (urls_too_long > 0) {
    s += ", " + std::to_string(urls_too_long) + " link(s) skipped: URL over " +
         std::to_string(kMaxUrlBytes) + " bytes";
  }
  if (time_limit_reached) s += ", stopped at --max-time";
  if (unmatched_skipped > 0)
    s += ", " + std::to_string(unmatched_skipped) +
         " link(s) not followed: no list or article pattern matches (follow = \"patterns\")";
  if (redirects_refused > 0)
    s += ", " + std::to_string(redirects_refused) + " redirect(s) out of scope not followed";
  if (status == store::RunStatus::degraded) s += " (degraded)";
  if (status == store::RunStatus::interrupted) s += " (interrupted)";
  for (const std::string& a : alarms) s += "\n  alarm: " + a;
  return s;
}

int CrawlResult::exit_code() const {
  switch (status) {
    case store::RunStatus::ok:
      return 0;
    case store::RunStatus::degraded:
      return 3;
    default:
      return 1;
  }
}

}  // namespace nh::crawler
