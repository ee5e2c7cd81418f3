// The crawl's parse pool: every submitted page comes back once, under its id, parsed exactly as
// extract::parse parses it on the calling thread, with its links resolved against the page's
// final URL (else the item's URL). Run under ThreadSanitizer by scripts/tsan.sh.
#include "crawler/parse_pool.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "extract/record.h"

namespace nh::crawler {
namespace {

std::string page_html(int i) {
  return "<html><head><title>Story " + std::to_string(i) + "</title></head><body><h1>Story " +
         std::to_string(i) +
         "</h1><p>The harbour opened its new quay on a quiet morning; the first ship tied up at "
         "nine and unloaded timber for the mill.</p><p>More follows on page two.</p>"
         "<a href=\"/news/" +
         std::to_string(i) +
         "_2.html\">next</a> <a href=\"../up.html\">up</a> "
         "<a href=\"http://[bad\">broken</a></body></html>";
}

TEST(ParsePool, Spec_EveryPageComesBackOnceParsedAsOnTheCallingThread) {
  constexpr int kPages = 64;
  std::map<std::uint64_t, Parsed> got;
  {
    ParsePool pool(3);
    EXPECT_EQ(pool.threads(), 3u);
    for (int i = 0; i < kPages; ++i) {
      extract::ParseOptions o;
      o.url = "http://example.test/news/" + std::to_string(i) + ".html";
      o.final_url = i % 2 ? o.url : "";  // without a final URL the item's URL is the base
      pool.submit(static_cast<std::uint64_t>(i), page_html(i), o, o.url);
    }
    while (got.size() < kPages) {
      for (auto& [id, p] : pool.take_finished(std::chrono::milliseconds(100)))
        EXPECT_TRUE(got.emplace(id, std::move(p)).second) << "twice: " << id;
    }
    EXPECT_EQ(pool.pending(), 0u);
    EXPECT_TRUE(pool.take_finished().empty());
  }
  for (int i = 0; i < kPages; ++i) {
    extract::ParseOptions o;
    o.url = "http://example.test/news/" + std::to_string(i) + ".html";
    o.final_url = i % 2 ? o.url : "";
    const Parsed here = parse_and_resolve(page_html(i), o, o.url);
    const Parsed& there = got.at(static_cast<std::uint64_t>(i));
    EXPECT_EQ(extract::to_json(there.page).dump(), extract::to_json(here.page).dump());
    ASSERT_EQ(there.links.size(), 2u) << i;  // the broken link is left out
    EXPECT_EQ(there.links[0].url, "http://example.test/news/" + std::to_string(i) + "_2.html");
    EXPECT_EQ(there.links[1].url, "http://example.test/up.html");
    EXPECT_EQ(there.links[0].text, "next");
  }
}

TEST(ParsePool, Spec_DestroyedWithWorkLeftStopsCleanly) {
  ParsePool pool(2);
  for (int i = 0; i < 200; ++i) {
    extract::ParseOptions o;
    o.url = "http://example.test/" + std::to_string(i);
    pool.submit(static_cast<std::uint64_t>(i), page_html(i), o, o.url);
  }
  // Leaving the scope with parses queued: the workers stop after the one they are on.
}

}  // namespace
}  // namespace nh::crawler
