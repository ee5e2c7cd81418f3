# newsharvest::crawler — the crawler's building blocks (robots, links, fetcher; the URL model is
# its own library, urls.cmake) and the crawl on top of them (frontier, feeds, ingest, crawl).
# Included from crawler/CMakeLists.txt (and, until that include exists, from
# tests/crawler/CMakeLists.txt); paths are relative to this file so it works from anywhere.
if(NOT TARGET nh_urls)
  include(${CMAKE_CURRENT_LIST_DIR}/urls.cmake)
endif()

add_library(nh_crawler STATIC
  ${CMAKE_CURRENT_LIST_DIR}/robots.cpp
  ${CMAKE_CURRENT_LIST_DIR}/links.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fetcher.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gzip.cpp)
add_library(newsharvest::crawler ALIAS nh_crawler)
target_include_directories(nh_crawler PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
find_package(ZLIB REQUIRED)  # .xml.gz sitemaps, .html.gz pages (zlib1g-dev)
target_link_libraries(nh_crawler PUBLIC newsharvest::urls PkgConfig::CURL
                                  PRIVATE PkgConfig::RE2 ZLIB::ZLIB)
nh_warnings(nh_crawler)

# The crawl itself (frontier, host queues, feeds, crawl loop): links the extractor, the store and the config.
target_sources(nh_crawler PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/feeds.cpp
  ${CMAKE_CURRENT_LIST_DIR}/frontier.cpp
  ${CMAKE_CURRENT_LIST_DIR}/frontier_sqlite.cpp
  ${CMAKE_CURRENT_LIST_DIR}/frontier_memory.cpp
  ${CMAKE_CURRENT_LIST_DIR}/host_queues.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ingest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake.cpp
  ${CMAKE_CURRENT_LIST_DIR}/join.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parse_pool.cpp
  ${CMAKE_CURRENT_LIST_DIR}/run_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/crawl_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/crawl_store_pg.cpp
  ${CMAKE_CURRENT_LIST_DIR}/crawl.cpp)
find_package(Threads REQUIRED)
target_link_libraries(nh_crawler PUBLIC newsharvest::extract newsharvest::store newsharvest::store_pg
                                        newsharvest::config
                                        Threads::Threads)
