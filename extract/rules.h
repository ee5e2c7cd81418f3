// Every vocabulary the extractor uses, as data, in one place. Algorithms live in the modules
// (content, title, fields, credits, dates, section, source, metadata, normalize, document);
// what they look for lives here. Each table says where it came
// from (which page families or reference extractors it was learned on).
#pragma once

#include <span>
#include <string_view>
#include <utility>

#include "extract/page.h"

namespace nh::extract::rules {

// ---- class / id evidence (matched as case-insensitive substrings of "class id") ----
// Containers whose class/id says "main text". Learned from TRS WCM (TRS_Editor), Hanweb (zoom),
// Founder e-paper (ozoom), PHPCMS/DedeCMS (content), 163 (post_text, endText), Sina (artibody),
// and Readability's positive pattern.
std::span<const std::string_view> positive_tokens();
// Chrome: navigation, side lists, footers, share bars, comments, ads. Readability's
// negative/unlikely patterns plus Chinese portal names (dh = 导航, fx = 分享, xgxw = 相关新闻...).
std::span<const std::string_view> negative_tokens();
// Negative tokens that are strong enough to drop the subtree outright inside the chosen
// content (comments, share bars, related lists, pagers of other articles, breadcrumbs).
std::span<const std::string_view> strong_negative_tokens();
// Strong negatives that say what a block is (comment, share, related, sidebar ...), not how it
// is displayed: only these drop a block of prose inside the chosen content.
std::span<const std::string_view> naming_negative_tokens();
// Classes of header parts that are no standfirst (caption, credit, byline, meta, date).
std::span<const std::string_view> caption_tokens();
// Ends of picture captions: "(foto", "photo:", "©" ... (lower case, searched in the last 60 bytes).
std::span<const std::string_view> picture_credit_marks();
// Containers that are page chrome wherever they stand, so that no text inside them scores for
// the content: footers (copyright, ICP, 主办/主管 lines). Narrow on purpose: the wider negative
// list also matches wrappers of the article on the trafilatura evaluation set ("has-ads",
// "socialicons-sticky", "field--label-hidden", "print-full", "cb-sidebar-right").
std::span<const std::string_view> chrome_container_tokens();
// Tokens that rescue a node from negative matching ("article-header" contains "header").
std::span<const std::string_view> maybe_tokens();

// ---- lines that are chrome wherever they appear (whole-line or prefix match after folding) ----
std::span<const std::string_view> chrome_line_prefixes();  // 上一篇, 下一篇, 【打印】, 分享到 ...
std::span<const std::string_view> chrome_line_contains();  // 打印本页, 关闭窗口, 扫一扫 ...
std::span<const std::string_view> english_chrome_lines();  // "Share this article", "Advertisement"
// Site footer statements anywhere in a short line (lower case): 版权所有, ICP备, 公网安备,
// All rights reserved — "示范政协新闻网版权所有 未经书面授权禁止复制" is as much chrome as a
// line that starts with 版权所有.
std::span<const std::string_view> footer_line_contains();
// A footer line that names who runs the site: every part of it ends in one of these
// ("示范省政协办公厅主管 示范政协报社主办") or is labelled with one ("主办单位:..", "技术支持:..").
std::span<const std::string_view> sponsor_words();
// Platform disclaimers ("该文观点仅代表作者本人", "仅提供信息存储空间服务"): chrome at any length.
std::span<const std::string_view> disclaimer_contains();

// ---- metadata names (lower-case), in order of trust ----
std::span<const std::string_view> meta_title_names();  // ArticleTitle, og:title, ...
std::span<const std::string_view> meta_date_names();   // PubDate, firstpublishedtime, ...
// Quoted keys of publish times in page-data objects inside <script> ("\"pubtime\"").
std::span<const std::string_view> script_date_keys();
std::span<const std::string_view> meta_never_date_names();   // Maketime, HtmlGenerateTime
std::span<const std::string_view> meta_section_names();      // ColumnName, article:section
std::span<const std::string_view> meta_source_names();       // ContentSource, source
std::span<const std::string_view> meta_site_names();         // og:site_name, SiteName
std::span<const std::string_view> meta_author_names();       // author, article:author, Author
std::span<const std::string_view> meta_each_author_names();  // citation_author: one per author

// ---- bylines ----
struct RoleLabel {
  std::string_view label;  // as written on the page after NFKC (e.g. "本报记者", "文/图")
  Role role;
  bool photographer_too = false;  // 文/图: author and photographer
};
// Labels that precede names, longest first so "本报记者" wins over "记者".
std::span<const RoleLabel> role_labels();
// Labels that follow a name: "张三 摄", "李四/文", "王五 报道".
std::span<const RoleLabel> role_suffixes();
// Prefixes of Latin-script bylines ("By Jane Doe", "Von Anna Schmidt", "Par ..."), lower case.
std::span<const std::string_view> byline_prefixes();
// Account names CMSs put in author fields that are nobody's name ("admin", "editor"), lower case.
std::span<const std::string_view> author_placeholders();
// Words that end a Latin-script name where an element's text runs on (job titles, "Updated",
// "Sign In"), lower case.
std::span<const std::string_view> name_stop_words();
// Qualifications after a name in author fields (phd, md, rn, cfp ...), lower case, no dots.
std::span<const std::string_view> name_credentials();
// Single-character Han surnames (Simplified and Traditional), one UTF-8 string, and the
// compound ones (欧阳, 司马 ...): a Chinese personal name starts with one of them.
std::string_view han_surnames();
std::span<const std::string_view> han_compound_surnames();
// Words that are outlets or agencies, never people (新华社, 本报, 人民网 ...).
std::span<const std::string_view> not_person_words();
// Endings that make a "name" an organisation (社, 网, 报, 台, 中心 ...).
std::span<const std::string_view> organisation_suffixes();
// Endings of a portal's own name (a <title> that is only "青石论坛" names the site).
std::span<const std::string_view> site_name_suffixes();
// Words that never occur inside a name (账号, 密码, 专题, 整理 ...).
std::span<const std::string_view> not_name_words();
// Province-level divisions by their short names (广东, 内蒙古 ...): "广东省" is a place, while
// a name may end in 省 ("杨仕省").
std::span<const std::string_view> province_names();
std::span<const std::string_view> job_titles();         // 研究员, 教授 … before a name
std::span<const std::string_view> affiliation_heads();  // 中国, 国家 … (and provinces)
std::span<const std::string_view> affiliation_tails();  // 大学, 教授 … ending one

// ---- info line labels (date, source) ----
std::span<const std::string_view> date_labels();  // 发布时间, 发布日期, 时间, 日期 ...
// Labels of a revision date ("updated", "last modified", 更新, 修改), lower case.
std::span<const std::string_view> update_labels();
// Words of lines about other stories, whose dates are not this article's (推荐, 相关 ...).
std::span<const std::string_view> other_story_words();
// Class/id of containers listing other stories (related, recommended, hot, ranking, side
// columns, comments): no date inside one is this article's.
std::span<const std::string_view> other_story_tokens();
std::span<const std::string_view> source_labels();  // 来源, 信息来源, 稿件来源, 来源于 ...
// Source values that name no outlet (本站, 网络, 转载, 综合 ...), squashed.
std::span<const std::string_view> generic_sources();
// Reprint markers before an outlet in a source value (转载自, 摘自, 来自 ...).
std::span<const std::string_view> reprint_markers();
// Labels that end a source value when they follow it on the same line.
std::span<const std::string_view> info_stop_labels();

// ---- breadcrumb ----
std::span<const std::string_view> breadcrumb_markers();  // 当前位置, 您的位置, 所在位置 ...
std::span<const std::string_view> breadcrumb_separators();  // > › » → / ＞ (after NFKC: >)
std::span<const std::string_view> breadcrumb_home_words();  // 首页, 网站首页, 主页, Home
std::span<const std::string_view> breadcrumb_terminal_words();
// Filing labels that name the column on an info line: 栏目, 所属分类, 类别, 频道 ...
std::span<const std::string_view> section_labels();  // 正文, 内容, 详情, 阅读文章

// ---- dates ----
struct MonthName {
  std::string_view name;  // lower case
  int month;
};
// Month names and abbreviations (en, de, fr, es, it, nl, pt), longest first per month, for
// "16. August 2019", "August 16, 2019", "16 août 2019", "16 de agosto de 2019".
std::span<const MonthName> month_names();
struct ZoneAbbreviation {
  std::string_view name;  // as written after a time: "UTC", "CEST", "EDT"
  int offset_minutes;
};
std::span<const ZoneAbbreviation> zone_abbreviations();

// Info-line labels outside Chinese ("veröffentlicht", "posted", "views"), lower case.
std::span<const std::string_view> info_line_labels();

// ---- title ----
// Separators of <title> segments: "_", " - ", "|", " – ", " — ", " · ", " » ", " • ", " // "…
std::span<const std::string_view> title_separators();
// IANA zone of a country-code top-level domain whose country keeps one clock ("de" →
// "Europe/Berlin", "cn" → "Asia/Shanghai"); "" for generic domains and for countries with
// several zones (us, ru, br, au, ca, mx…).
std::string_view country_time_zone(std::string_view tld);
// Forum post tags before a subject in brackets: "[原创] 标题", "【求助】…" (原创, 转载, 求助 ...).
std::span<const std::string_view> forum_tags();
// Badges glued before a headline by templates (原创, 独家, 置顶).
std::span<const std::string_view> title_badges();
// Class/id fragments of a kicker (Dachzeile, roofline, overline) set in the headline element
// before the headline proper: "<h1><span class=dachzeile>Kicker</span> Headline</h1>".
std::span<const std::string_view> kicker_class_tokens();
// class_matches() tokens of the element holding a 引题 (kicker line) above the headline:
// "<div class=yinti>", "<p id=yt>".
std::span<const std::string_view> lead_title_class_tokens();
// Class/id fragments that only set a headline piece apart ("subtitle", "small"): a separator.
std::span<const std::string_view> headline_piece_class_tokens();
// Class/id words of comment sections ("comment", "=respond", "disqus").
std::span<const std::string_view> comment_tokens();
// Words around a name in author boxes, lower case: prefixes ("veröffentlicht von ", "über ")
// and suffixes (" autor").
std::span<const std::string_view> author_box_prefixes();
std::span<const std::string_view> author_box_suffixes();
// Class/id fragments of the element that holds the site's name or logo ("site-title", "logo").
std::span<const std::string_view> site_name_class_tokens();

// ---- URL tracking parameters are the crawler's (crawler/urls.cpp) ----

// ---- vocabularies moved here from the modules that use them (issue 11) ----
// Class/id words of elements that hold the writer's name (matched like the class tokens above).
std::span<const std::string_view> author_class_tokens();
// URL path parts of author archive links (WordPress and its translations): a link to /author/slug/
// names a writer.
std::span<const std::string_view> author_archive_paths();
// Class/id words of elements that hold the date; "__date" is a BEM element (post-hero__date,
// article__date).
std::span<const std::string_view> date_class_tokens();
// Utility classes that hide an element in every stylesheet that uses them (whole class tokens,
// lower case): SEO headings and screen-reader text; "dn" is Chinese CSS shorthand.
std::span<const std::string_view> hidden_class_tokens();
// Lower-case particles inside Latin-script names ("Ursula von der Leyen").
std::span<const std::string_view> latin_name_particles();
// Capitalised pairs that look like a Latin-script name and are not one (substrings, as written).
std::span<const std::string_view> not_latin_names();
// Month names (lower case) that are also given names: they end a name only after its second word.
std::span<const std::string_view> name_like_months();
// Where the name list of an English "By" line ends (the first of these cuts it).
std::span<const std::string_view> english_byline_cuts();
// Chinese info-line labels (来源, 作者, 发布, 浏览 ...): a short line with one of them and a date
// is an info line.
std::span<const std::string_view> info_line_han_labels();
// Class/id substrings of elements holding a headline (biaoti 标题, timu 题目 are pinyin).
std::span<const std::string_view> title_class_words();
// Class/id substrings that make a title-classed element a subtitle instead.
std::span<const std::string_view> subtitle_class_words();
// schema.org @types read as the article besides any *Article type (JSON-LD).
std::span<const std::string_view> article_types();
// Chinese weekday words after a date ("2024年5月22日 週三"): the marker and one day character are
// skipped.
std::span<const std::string_view> weekday_markers();
// English ordinal suffixes after a day number ("Aug 16th 2019").
std::span<const std::string_view> ordinal_suffixes();
// Words between a date and its time ("um 10:23 Uhr", "at 10:23"), German, English, French, Spanish,
// Italian.
std::span<const std::string_view> time_connectors();
// Words closing a time, lower case ("10:23 Uhr").
std::span<const std::string_view> time_words();
// Forum reply markers opening a headline (lower case, after NFKC): dropped from it.
std::span<const std::string_view> reply_markers();
// Arrow separators of a breadcrumb trail: with them the trail may start with the site's own name.
std::span<const std::string_view> breadcrumb_arrows();
// Byline labels a line under the text must open with to be read as one ("Written by",
// "Auteur :").
std::span<const std::string_view> english_by_labels();
// Verbs that follow the name opening an author's bio ("Jane Doe is…", "Jane has…").
std::span<const std::string_view> bio_verbs();
// "Posted at" markers between a forum poster's handle and the date ("乡村小记者 发表于 …").
std::span<const std::string_view> posted_markers();
// class/id tokens of an element holding the source ("source", "laiyuan").
std::span<const std::string_view> source_class_tokens();
// class/id tokens of a breadcrumb element ("crumb", "position", "weizhi", "mbx" …).
std::span<const std::string_view> breadcrumb_class_tokens();
// Brackets a byline opening a paragraph is framed in, as (open, close) after folding:
// "(记者 张三)", "〔记者王明/台南报导〕" (Liberty Times), "【记者…/综合报导】".
std::span<const std::pair<std::string_view, std::string_view>> credit_brackets();

}  // namespace nh::extract::rules
