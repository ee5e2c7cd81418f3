// The site's clock: dates are written with the offset of the zone the caller names, else of
// the URL's country domain; a time the page gives in UTC moves onto that clock.
#include <gtest/gtest.h>

#include <string>

#include "extract/extract.h"

namespace nh::extract {
namespace {

const std::string kPage =
    "<html><head><title>Neue Brücke eröffnet - Kurier</title>"
    "<meta property=\"article:published_time\" content=\"2022-11-06T23:00:00Z\"></head>"
    "<body><h1>Neue Brücke eröffnet</h1><p>Nach zwei Jahren Bauzeit ist die neue Brücke über "
    "den Fluss seit heute für den Verkehr freigegeben, teilte die Stadt mit.</p></body></html>";

Page parse_as(const std::string& url, const std::string& zone = "") {
  ParseOptions o;
  o.url = url;
  o.time_zone = zone;
  return parse(kPage, o);
}

TEST(SiteZone, Spec_CountryDomainPutsUtcOnTheSiteClock) {
  const Page p = parse_as("https://www.kurier.example.de/lokales/bruecke.html");
  EXPECT_EQ(p.article.published_at, "2022-11-07T00:00:00+01:00");
  EXPECT_EQ(p.provenance.at("time_zone"), "Europe/Berlin (domain .de)");
}

TEST(SiteZone, Spec_GenericDomainKeepsThePagesOffset) {
  const Page p = parse_as("https://www.kurier.example.com/lokales/bruecke.html");
  EXPECT_EQ(p.article.published_at, "2022-11-06T23:00:00+00:00");
  EXPECT_EQ(p.provenance.at("time_zone"), "Asia/Shanghai (default)");
}

TEST(SiteZone, Spec_NamedZoneWins) {
  const Page p = parse_as("https://www.kurier.example.de/lokales/bruecke.html", "Asia/Tokyo");
  EXPECT_EQ(p.article.published_at, "2022-11-07T08:00:00+09:00");
  EXPECT_EQ(p.provenance.at("time_zone"), "Asia/Tokyo (option)");
}

}  // namespace
}  // namespace nh::extract
