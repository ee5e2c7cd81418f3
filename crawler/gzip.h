// gzip/zlib decompression with a size cap: saved .html.gz pages (extract) and .xml.gz sitemaps
// served without Content-Encoding (crawl).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace nh::crawler {

// True when the bytes start with the gzip magic (1f 8b).
bool is_gzip(std::string_view bytes);

struct Inflated {
  bool ok = false;        // false: corrupt or truncated data (error says which)
  bool over_cap = false;  // ok, but cut: the data inflates to more than the cap
  std::string bytes;      // at most cap bytes
  std::string error;
};

// Inflates gzip or zlib data, stopping after `cap` bytes (a gzip bomb costs at most that).
Inflated gunzip(std::string_view in, std::size_t cap);

}  // namespace nh::crawler
