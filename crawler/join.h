// newsharvest::crawler — one record out of the pages of a multi-page article.
//
// Used by the crawl (crawl.cpp, when the last continuation of an article has answered) and by
// reextract (cli_store.cpp, over the pages linked in article_pages), so that re-extracting the
// archived pages with an unchanged extractor gives exactly the record the crawl stored.
//
// Contract of join_pages(pages), pages = page 1 first, then the continuations in page order
// (at least one page; the pointers must be valid for the call):
//   - body: the non-empty bodies of all pages joined with '\n' in page order; when none has a
//     body, page 1's body as it is (nullopt or empty);
//   - site, section, title, subtitle, published_at, source, language: page 1's, falling back to
//     the first later page that has the field;
//   - reporters and contributors: those of all pages in page order, each once (first mention);
//   - url, final_url, charset, kind, canonical, links and everything else of the Page: page 1's;
//   - provenance: page 1's entries, plus the entries of later pages for keys page 1 lacks (the
//     first page having the key wins); with more than one page, the body's rule gains " (joined N
//     pages)" (N = pages.size()). reextract reads that note to tell joined records from single-page
//     ones.
// A single page is returned as it is, apart from duplicate reporters/contributors dropped.
#pragma once

#include <vector>

#include "extract/page.h"

namespace nh::crawler {

[[nodiscard]] extract::Page join_pages(const std::vector<const extract::Page*>& pages);

}  // namespace nh::crawler
