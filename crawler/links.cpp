#include "crawler/links.h"

#include "crawler/urls.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <stdexcept>

namespace nh::crawler {
namespace {

// ---------------------------------------------------------------------------------------------
// link_rules: every built-in URL-shape rule, in evaluation order (first match wins). Patterns
// are RE2, case-insensitive, searched in "path?query" of a normalised URL. Where the
// shapes come from: the URL schemes of the CMSs behind most Chinese government and news
// portals — TRS WCM (t20210526_123456.html, index_N.html), Hanweb JCMS (art_1_2.html,
// col/col123/index.html), Founder/Xinhua (2021-05/26/content_123.htm, node_123.htm),
// PHPCMS/DedeCMS (show-12-345.html, list-12-N.html, show.php?id=), people.cn
// (2021/0526/c123-456.html) — as seen on www.gov.cn, provincial and municipal portals,
// xinhuanet.com, people.com.cn and the demo portal; plus common static-asset extensions.
// Lists are checked before articles only for file names no CMS uses for an article
// (index.html, node_N, list-N), so "/202105/26/index.html" is a list, not an article.
// ---------------------------------------------------------------------------------------------
const std::vector<LinkRuleInfo> kLinkRules = {
    // ignore
    {LinkKind::ignore,
     R"(\.(jpe?g|png|gif|bmp|webp|svg|ico|tiff?|css|js|json|xml|pdf|docx?|xlsx?|pptx?|wps|et|)"
     R"(ofd|txt|csv|zip|rar|7z|gz|tgz|bz2|tar|mp3|mp4|m4a|wav|avi|flv|wmv|mov|mkv|swf|apk|exe|)"
     R"(dmg|iso)(\?|$))",
     "static assets and attachments: not HTML pages"},
    {LinkKind::ignore,
     R"((^|/)(login|logout|signin|signup|register|passport|search|print|printer)(/|\.|_|\?|$))",
     "login, search and print pages (path segment or file name)"},
    {LinkKind::ignore, R"([?&](action|act|m|a|c|mod|op)=(login|logout|register|search|print)(&|$))",
     "login, search and print pages of dynamic CMSs (?m=search, ?action=print)"},
    // lists that look like nothing else
    {LinkKind::list, R"(/(index|default)(_\d+)?\.(s?html?|jsp|php|aspx?)$)",
     "column index and its pages: index.html, index_2.html (TRS WCM), default.aspx"},
    {LinkKind::list, R"(/col/col\d+/)", "Hanweb JCMS column: col/col123/index.html"},
    {LinkKind::list, R"(/node_\d+(_\d+)?\.s?html?$)", "Founder/Xinhua column: node_123.htm"},
    {LinkKind::list, R"(/list[-_]\d+([-_]\d+)*\.s?html?$)",
     "PHPCMS/DedeCMS list: list-12-2.html, list_12_2.html"},
    // articles
    {LinkKind::article, R"(/t\d{8}_\d+(_\d+)?\.s?html?$)",
     "TRS WCM article: t20210526_123456.html (most government portals)"},
    {LinkKind::article, R"(/\d{4}-\d{2}/\d{2}/(content_|c_)\d+(_\d+)?\.s?html?$)",
     "Xinhua / www.gov.cn article: 2021-05/26/content_123.htm, 2021-05/26/c_123.htm"},
    {LinkKind::article, R"(/content_\d+(_\d+)?\.s?html?$)", "TRS/Founder article: content_123.htm"},
    {LinkKind::article, R"(/\d{6}/\d{2}/[^/]+\.s?html?$)", "dated article: /202105/26/xxx.html"},
    {LinkKind::article, R"(/\d{4}/\d{2}/\d{2}/[^/]+\.s?html?$)",
     "dated article: /2021/05/26/xxx.html"},
    {LinkKind::article, R"(/\d{8}/[^/]+\.s?html?$)", "dated article: /a/20210526/123.html"},
    {LinkKind::article, R"(/\d{4}-\d{2}-\d{2}/\d+(_\d+)?\.s?html?$)",
     "dated article: /news/2021-05-26/5678.html"},
    {LinkKind::article, R"(/\d{4}/\d{4}/c\d+-\d+(-\d+)?\.html?$)",
     "people.cn article: /2021/0526/c123-456.html"},
    {LinkKind::article, R"(/show-\d+-\d+(-\d+)?\.html?$)", "PHPCMS article: show-12-345.html"},
    {LinkKind::article, R"(/art_\d+_\d+(_\d+)?\.html?$)", "Hanweb JCMS article: art_1_2.html"},
    {LinkKind::article,
     R"(/(show|view|detail|details|article|content|news|info|read)[^/]*\.(php|aspx?|jsp|do)\?(.*&)?)"
     R"((id|itemid|aid|articleid|newsid|contentid|docid|infoid)=\d+)",
     "dynamic CMS detail page: show.php?...id=123, detail.jsp?docid=5"},
    {LinkKind::article, R"(/\d{6,}(_\d+)?\.s?html?$)", "long numeric id: /1234567.html"},
    // lists
    {LinkKind::list, R"([?&](page|pageno|pageindex|pagenum|curpage|currentpage)=\d+(&|$))",
     "paged listing: ?page=2 (articles with ?page= matched above first)"},
    {LinkKind::list, R"((^|/)(list|lists|column|channel|category|catalog)(/|\.|_|-|\?|$))",
     "list/column/channel pages: /list/, list.jsp?..."},
    {LinkKind::list, R"(/(\?|$))", "directory URL: /xwzx/ (a column's default page)"},
};

// Pager anchor texts, compared after trim + decoration stripping + ASCII lower-casing. From
// the pagers TRS WCM (createPageHTML), JCMS and DedeCMS generate: 首页 上一页 下一页 尾页,
// "下一页>>", "< 1 2 3 >", "Next »". A lone ">" / "›" / "»" means next; ">>" and ">|" mean last
// (the "<< < 1 2 > >>" pager); "下一篇" is the next *article*, not a page, so it is absent.
const std::vector<std::string_view> kNextTexts = {"下一页",    "下页", "下一頁", "后一页", "next",
                                                  "next page", ">",    "›",      "»"};
const std::vector<std::string_view> kLastTexts = {"尾页",      "末页", "最后一页", "最后页", "last",
                                                  "last page", ">>",   "»»",       ">|"};
// Characters stripped from both ends of pager text before comparison (unless that would leave
// nothing): whitespace and the brackets/arrows pagers wrap labels in ("[下一页]", "下一页>>").
const std::vector<std::string_view> kPagerDecorations = {
    " ",  "\t", "\n", "\r", "\xC2\xA0", "\xE3\x80\x80", "[", "]",
    "【", "】", "(",  ")",  "（",       "）",           "<", ">",
    "«",  "»",  "‹",  "›",  "|"};

struct Parts {
  bool ok = false;
  std::string host;
  std::string path;
  std::string query;
};

Parts split(std::string_view url) {
  Parts p;
  const UrlParts u = parse_url(url);
  if (!u.ok() || (u.scheme != "http" && u.scheme != "https")) return p;
  p.host = u.host;
  p.path = u.path;
  p.query = u.query;
  p.ok = !p.host.empty();
  return p;
}

std::string target_of(const Parts& p) { return p.query.empty() ? p.path : p.path + "?" + p.query; }

RE2::Options regex_options(bool case_sensitive) {
  RE2::Options o;
  o.set_case_sensitive(case_sensitive);
  o.set_log_errors(false);
  return o;
}

const std::vector<std::unique_ptr<RE2>>& compiled_rules() {
  static const std::vector<std::unique_ptr<RE2>> compiled = [] {
    std::vector<std::unique_ptr<RE2>> out;
    out.reserve(kLinkRules.size());
    for (const LinkRuleInfo& r : kLinkRules)
      out.push_back(std::make_unique<RE2>(r.pattern, regex_options(false)));
    return out;
  }();
  return compiled;
}

std::vector<std::shared_ptr<const RE2>> compile(const std::vector<std::string>& patterns,
                                                const char* what) {
  std::vector<std::shared_ptr<const RE2>> out;
  for (const std::string& p : patterns) {
    auto re = std::make_shared<const RE2>(p, regex_options(true));
    if (!re->ok()) {
      throw std::invalid_argument(std::string("invalid ") + what + " link pattern '" + p +
                                  "': " + re->error());
    }
    out.push_back(std::move(re));
  }
  return out;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Strips decorations from both ends; `whole` keeps only the whitespace stripping, so labels
// made of decoration alone (">", ">>", "»") can be compared as they are.
std::string pager_text(std::string_view t, bool whole) {
  bool changed = true;
  while (changed && !t.empty()) {
    changed = false;
    for (std::string_view d : kPagerDecorations) {
      bool is_space =
          d == " " || d == "\t" || d == "\n" || d == "\r" || d == "\xC2\xA0" || d == "\xE3\x80\x80";
      if (whole && !is_space) continue;
      if (t.starts_with(d)) {
        t.remove_prefix(d.size());
        changed = true;
      }
      if (t.ends_with(d)) {
        t.remove_suffix(d.size());
        changed = true;
      }
    }
  }
  return ascii_lower(t);
}

bool in(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::optional<int> small_number(std::string_view s, int max) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v < 1 || v > max) return std::nullopt;
  return v;
}

// Query parameters split at '&', in order.
std::vector<std::string_view> params(std::string_view q) {
  std::vector<std::string_view> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    if (amp != 0) out.push_back(q.substr(0, amp));
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

bool is_page_param(std::string_view param) {
  auto eq = param.find('=');
  std::string key(param.substr(0, eq));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key == "page" || key == "p" || key == "pageno" || key == "pagenum" || key == "curpage";
}

}  // namespace

std::string_view to_string(LinkKind kind) {
  switch (kind) {
    case LinkKind::article:
      return "article";
    case LinkKind::list:
      return "list";
    case LinkKind::ignore:
      return "ignore";
    case LinkKind::other:
      return "other";
  }
  return "other";
}

const std::vector<LinkRuleInfo>& link_rules() { return kLinkRules; }

LinkClassifier::LinkClassifier(const LinkProfile& profile)
    : article_(compile(profile.article_patterns, "article")),
      list_(compile(profile.list_patterns, "list")),
      ignore_(compile(profile.ignore_patterns, "ignore")) {
  compiled_rules();  // build the shared table now, not on a crawl thread's first call
}

Classification LinkClassifier::classify(std::string_view url) const {
  Parts p = split(url);
  if (!p.ok) return {LinkKind::ignore, "scheme"};
  const std::string full(url);
  for (std::size_t i = 0; i < ignore_.size(); ++i) {
    if (RE2::PartialMatch(full, *ignore_[i]))
      return {LinkKind::ignore, "profile:ignore:" + std::to_string(i)};
  }
  const std::string target = target_of(p);
  const auto& rules = compiled_rules();
  bool use_profile = !article_.empty() || !list_.empty();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (use_profile && kLinkRules[i].kind != LinkKind::ignore) break;  // ignores come first
    if (RE2::PartialMatch(target, *rules[i])) {
      return {kLinkRules[i].kind, "heuristic:" + std::to_string(i)};
    }
  }
  if (use_profile) {
    for (std::size_t i = 0; i < article_.size(); ++i) {
      if (RE2::PartialMatch(full, *article_[i])) {
        return {LinkKind::article, "profile:article:" + std::to_string(i)};
      }
    }
    for (std::size_t i = 0; i < list_.size(); ++i) {
      if (RE2::PartialMatch(full, *list_[i])) {
        return {LinkKind::list, "profile:list:" + std::to_string(i)};
      }
    }
  }
  return {LinkKind::other, "none"};
}

Pager find_pager(std::string_view page_url, const std::vector<Link>& links) {
  Pager pager;
  Parts page = split(page_url);
  if (!page.ok) return pager;
  std::map<int, std::string> numbered;
  for (const Link& link : links) {
    if (link.url == page_url) continue;
    Parts p = split(link.url);
    if (!p.ok || p.host != page.host) continue;
    std::string whole = pager_text(link.text, true);
    std::string text = pager_text(link.text, false);
    if (whole.empty()) continue;
    bool is_next = in(kNextTexts, whole) || (!in(kLastTexts, whole) && in(kNextTexts, text));
    bool is_last = !is_next && (in(kLastTexts, whole) || in(kLastTexts, text));
    if (is_next) {
      if (!pager.next) pager.next = link.url;
    } else if (is_last) {
      if (!pager.last) pager.last = link.url;
    } else if (auto n = small_number(text, 10000)) {
      numbered.emplace(*n, link.url);  // first link for a number wins
    }
  }
  for (auto& [n, url] : numbered) {
    if (std::find(pager.numbered.begin(), pager.numbered.end(), url) == pager.numbered.end()) {
      pager.numbered.push_back(std::move(url));
    }
  }
  return pager;
}

std::vector<std::string> article_continuations(std::string_view article_url,
                                               const std::vector<Link>& links) {
  Parts art = split(article_url);
  if (!art.ok) return {};
  auto slash = art.path.rfind('/');
  auto dot = art.path.rfind('.');
  bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  std::string stem = has_ext ? art.path.substr(0, dot) : art.path;
  std::string ext = has_ext ? art.path.substr(dot) : std::string();

  std::vector<std::string_view> art_params;
  for (std::string_view q : params(art.query)) {
    if (!is_page_param(q)) art_params.push_back(q);
  }

  std::map<int, std::string> pages;
  for (const Link& link : links) {
    Parts p = split(link.url);
    if (!p.ok || p.host != art.host) continue;
    std::optional<int> n;
    // t20210526_123_2.html: same stem + "_N" + same extension, same query.
    if (p.query == art.query && p.path.size() > stem.size() + 1 + ext.size() &&
        p.path.starts_with(stem) && p.path.ends_with(ext) && p.path[stem.size()] == '_') {
      std::string_view num(p.path);
      num = num.substr(stem.size() + 1, num.size() - stem.size() - 1 - ext.size());
      n = small_number(num, 999);
    } else if (p.path == art.path) {
      // show.php?id=5&page=2: same path, same other parameters, a page parameter N.
      std::vector<std::string_view> others;
      std::optional<int> page;
      for (std::string_view q : params(p.query)) {
        if (is_page_param(q)) {
          auto eq = q.find('=');
          if (eq != std::string_view::npos) page = small_number(q.substr(eq + 1), 999);
        } else {
          others.push_back(q);
        }
      }
      if (others == art_params) n = page;
    }
    if (n && *n >= 2) pages.emplace(*n, link.url);
  }
  std::vector<std::string> out;
  for (auto& [n, url] : pages) out.push_back(std::move(url));
  return out;
}

}  // namespace nh::crawler
