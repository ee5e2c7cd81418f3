// Sitemaps (sitemaps.org 0.9: <urlset> and <sitemapindex>) and feeds (RSS 2.0, RSS 1.0/RDF,
// Atom 1.0): the page URLs they list.
//
// Contract:
//   - parse_feed() is total: any bytes in, a Feed out; it never throws. It is a tolerant scanner,
//     not an XML parser: it finds <loc>, <link>, <link href=...> and <guid isPermaLink> elements
//     by name (any namespace prefix, any case), so a sitemap with a broken declaration, a stray
//     BOM or an unclosed element still yields its URLs. CDATA sections and the XML character
//     references (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;) are decoded.
//   - URLs come back as written (trimmed, entities decoded), in document order, without
//     duplicates; the caller resolves and normalises them (urls.h) and checks scope.
//   - Gzip-compressed sitemaps are not decompressed here (a .xml.gz body that is not served
//     with Content-Encoding is FeedKind::unknown with no URLs): the crawl inflates them first
//     (gzip.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nh::crawler {

enum class FeedKind { unknown, sitemap, sitemap_index, rss, atom };

std::string_view to_string(FeedKind kind);

struct Feed {
  FeedKind kind = FeedKind::unknown;
  std::vector<std::string> pages;     // <url><loc>, RSS <item><link>, Atom <entry><link href>
  std::vector<std::string> sitemaps;  // <sitemapindex><sitemap><loc>: further sitemaps to fetch
  // <url><lastmod> of a sitemap's pages, keyed by the page URL as written (first one wins).
  std::map<std::string, std::string> lastmod;
};

Feed parse_feed(std::string_view body);

}  // namespace nh::crawler
