// zstd one-shot compression of archived responses (internal to newsharvest::store).
#pragma once

#include <string>
#include <string_view>

namespace nh::store {

// Level 3 (zstd's default): on HTML it is within a few percent of level 9's ratio at several
// times the speed, and compression sits on the crawl's write path.
std::string zstd_compress(std::string_view bytes, int level = 3);
// Throws StoreError("<what>: ...") when the frame is damaged; `what` names the row.
std::string zstd_decompress(std::string_view frame, const std::string& what);

}  // namespace nh::store
