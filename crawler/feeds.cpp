#include "crawler/feeds.h"

#include "extract/normalize.h"

#include <cstdint>
#include <optional>
#include <unordered_set>

namespace nh::crawler {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A character reference's code point, when it is one a document may contain.
void append_char_ref(std::string& out, std::uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return;
  extract::append_utf8(out, static_cast<char32_t>(cp));
}

// Text content of an element: CDATA kept verbatim, entities decoded, tags dropped.
std::string decode_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.substr(i).starts_with("<![CDATA[")) {
      std::size_t end = s.find("]]>", i + 9);
      if (end == std::string_view::npos) end = s.size();
      out.append(s.substr(i + 9, end - i - 9));
      i = end + 3;
      continue;
    }
    if (s[i] == '<') {  // a nested tag (e.g. <link><![CDATA[..]]></link> with markup): skip it
      std::size_t end = s.find('>', i);
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    if (s[i] == '&') {
      std::size_t semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 10) {
        std::string_view ent = s.substr(i + 1, semi - i - 1);
        std::optional<std::uint32_t> cp;
        if (ent == "amp")
          cp = '&';
        else if (ent == "lt")
          cp = '<';
        else if (ent == "gt")
          cp = '>';
        else if (ent == "quot")
          cp = '"';
        else if (ent == "apos")
          cp = '\'';
        else if (ent.size() > 1 && ent[0] == '#') {
          std::uint32_t v = 0;
          bool hex = ent[1] == 'x' || ent[1] == 'X';
          bool ok = ent.size() > (hex ? 2u : 1u);
          for (char c : ent.substr(hex ? 2 : 1)) {
            int d = -1;
            if (c >= '0' && c <= '9')
              d = c - '0';
            else if (hex && lower(c) >= 'a' && lower(c) <= 'f')
              d = lower(c) - 'a' + 10;
            if (d < 0 || v > 0x10FFFF) {
              ok = false;
              break;
            }
            v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
          }
          if (ok) cp = v;
        }
        if (cp) {
          append_char_ref(out, *cp);
          i = semi + 1;
          continue;
        }
      }
    }
    out += s[i++];
  }
  return std::string(trim(out));
}

// One start tag found by the scanner.
struct Tag {
  std::string name;        // local name, lower-case (namespace prefix removed)
  std::string_view attrs;  // raw attribute text
  bool self_closing = false;
  bool closing = false;
  std::size_t begin = 0;  // offset of '<'
  std::size_t end = 0;    // offset after '>'
};

// Next tag at or after `pos` (comments, processing instructions and doctypes skipped).
std::optional<Tag> next_tag(std::string_view s, std::size_t pos) {
  while (true) {
    std::size_t lt = s.find('<', pos);
    if (lt == std::string_view::npos || lt + 1 >= s.size()) return std::nullopt;
    if (s.substr(lt).starts_with("<!--")) {
      std::size_t end = s.find("-->", lt + 4);
      if (end == std::string_view::npos) return std::nullopt;
      pos = end + 3;
      continue;
    }
    if (s.substr(lt).starts_with("<![CDATA[")) {
      std::size_t end = s.find("]]>", lt + 9);
      if (end == std::string_view::npos) return std::nullopt;
      pos = end + 3;
      continue;
    }
    std::size_t gt = s.find('>', lt + 1);
    if (gt == std::string_view::npos) return std::nullopt;
    if (s[lt + 1] == '?' || s[lt + 1] == '!') {
      pos = gt + 1;
      continue;
    }
    Tag t;
    t.begin = lt;
    t.end = gt + 1;
    std::size_t i = lt + 1;
    if (s[i] == '/') {
      t.closing = true;
      ++i;
    }
    std::size_t name_begin = i;
    while (i < gt && !is_space(s[i]) && s[i] != '/') ++i;
    std::string_view qname = s.substr(name_begin, i - name_begin);
    if (auto colon = qname.rfind(':'); colon != std::string_view::npos) {
      qname.remove_prefix(colon + 1);
    }
    for (char c : qname) t.name += lower(c);
    t.attrs = s.substr(i, gt - i);
    t.self_closing = !t.attrs.empty() && t.attrs.back() == '/';
    return t;
  }
}

// Value of attribute `name` (lower-case) in raw attribute text, entities decoded.
std::optional<std::string> attr(std::string_view attrs, std::string_view name) {
  std::size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && (is_space(attrs[i]) || attrs[i] == '/')) ++i;
    std::size_t kb = i;
    while (i < attrs.size() && !is_space(attrs[i]) && attrs[i] != '=' && attrs[i] != '/') ++i;
    std::string key;
    for (char c : attrs.substr(kb, i - kb)) key += lower(c);
    while (i < attrs.size() && is_space(attrs[i])) ++i;
    std::string_view value;
    if (i < attrs.size() && attrs[i] == '=') {
      ++i;
      while (i < attrs.size() && is_space(attrs[i])) ++i;
      if (i < attrs.size() && (attrs[i] == '"' || attrs[i] == '\'')) {
        char q = attrs[i++];
        std::size_t vb = i;
        while (i < attrs.size() && attrs[i] != q) ++i;
        value = attrs.substr(vb, i - vb);
        if (i < attrs.size()) ++i;
      } else {
        std::size_t vb = i;
        while (i < attrs.size() && !is_space(attrs[i])) ++i;
        value = attrs.substr(vb, i - vb);
      }
    }
    if (key.empty()) {
      if (i < attrs.size()) ++i;
      continue;
    }
    if (key == name) return decode_text(value);
  }
  return std::nullopt;
}

// Text between a start tag ending at `from` and the next closing tag named `name`.
std::string_view element_text(std::string_view s, std::size_t from, std::string_view name,
                              std::size_t* after) {
  std::size_t pos = from;
  while (auto t = next_tag(s, pos)) {
    if (t->closing && t->name == name) {
      *after = t->end;
      return s.substr(from, t->begin - from);
    }
    pos = t->end;
  }
  *after = s.size();
  return s.substr(from);
}

}  // namespace

std::string_view to_string(FeedKind kind) {
  switch (kind) {
    case FeedKind::unknown:
      return "unknown";
    case FeedKind::sitemap:
      return "sitemap";
    case FeedKind::sitemap_index:
      return "sitemap_index";
    case FeedKind::rss:
      return "rss";
    case FeedKind::atom:
      return "atom";
  }
  return "unknown";
}

Feed parse_feed(std::string_view body) {
  Feed feed;
  std::unordered_set<std::string> seen_pages, seen_maps;
  auto add = [](std::vector<std::string>& list, std::unordered_set<std::string>& seen,
                std::string url) {
    if (url.empty() || !seen.insert(url).second) return;
    list.push_back(std::move(url));
  };

  // Element context: inside <url>, <sitemap>, <item> or <entry>.
  enum class In { none, url, sitemap, item, entry };
  In in = In::none;
  std::string loc, lastmod;  // of the current <url> (sitemaps)
  auto pair_lastmod = [&] {
    if (!loc.empty() && !lastmod.empty()) feed.lastmod.try_emplace(loc, lastmod);
  };
  std::size_t pos = 0;
  while (auto t = next_tag(body, pos)) {
    pos = t->end;
    const std::string& n = t->name;
    if (t->closing) {
      if ((n == "url" && in == In::url) || (n == "sitemap" && in == In::sitemap) ||
          (n == "item" && in == In::item) || (n == "entry" && in == In::entry)) {
        in = In::none;
      }
      continue;
    }
    if (feed.kind == FeedKind::unknown) {
      if (n == "urlset")
        feed.kind = FeedKind::sitemap;
      else if (n == "sitemapindex")
        feed.kind = FeedKind::sitemap_index;
      else if (n == "rss" || n == "rdf" || n == "channel")
        feed.kind = FeedKind::rss;
      else if (n == "feed")
        feed.kind = FeedKind::atom;
    }
    if (n == "url") {
      in = In::url;
      loc.clear();
      lastmod.clear();
    } else if (n == "lastmod" && in == In::url && !t->self_closing) {
      std::size_t after = 0;
      lastmod = decode_text(element_text(body, t->end, "lastmod", &after));
      pos = after;
      pair_lastmod();
    } else if (n == "sitemap")
      in = In::sitemap;
    else if (n == "item")
      in = In::item;
    else if (n == "entry")
      in = In::entry;
    else if (n == "loc" && !t->self_closing) {
      std::size_t after = 0;
      std::string url = decode_text(element_text(body, t->end, "loc", &after));
      pos = after;
      // A <loc> directly under <sitemapindex> (no <sitemap> wrapper) is still a sitemap.
      if (in == In::sitemap || (in == In::none && feed.kind == FeedKind::sitemap_index)) {
        add(feed.sitemaps, seen_maps, std::move(url));
      } else {
        if (in == In::url) {
          loc = url;
          pair_lastmod();
        }
        add(feed.pages, seen_pages, std::move(url));
      }
    } else if (n == "link" && (in == In::item || in == In::entry)) {
      // Atom: <link rel="alternate" href="..."/> (rel absent means alternate); RSS:
      // <link>url</link>.
      if (auto href = attr(t->attrs, "href")) {
        auto rel = attr(t->attrs, "rel");
        if (!rel || *rel == "alternate") add(feed.pages, seen_pages, std::move(*href));
      } else if (!t->self_closing) {
        std::size_t after = 0;
        std::string url = decode_text(element_text(body, t->end, "link", &after));
        pos = after;
        add(feed.pages, seen_pages, std::move(url));
      }
    } else if (n == "guid" && in == In::item && !t->self_closing) {
      // <guid isPermaLink="true"> (the default) is the item's URL when <link> is missing.
      auto perma = attr(t->attrs, "ispermalink");
      std::size_t after = 0;
      std::string url = decode_text(element_text(body, t->end, "guid", &after));
      pos = after;
      if ((!perma || *perma == "true") &&
          (url.starts_with("http://") || url.starts_with("https://"))) {
        add(feed.pages, seen_pages, std::move(url));
      }
    }
  }
  return feed;
}

}  // namespace nh::crawler
