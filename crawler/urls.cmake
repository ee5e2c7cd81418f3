# newsharvest::urls — the URL model every layer shares (crawler/urls.h: normalisation,
# resolution, parts, the host-scope rule), the only code that calls libcurl's URL API
# (curl_url). It depends on nothing of the project, so extract and config link it as well as
# the crawler. Included from the top-level CMakeLists.txt before extract/ (and from
# crawler/lib.cmake when that is included on its own).
# libidn2 turns IDN hosts into punycode: curl 7.88's CURLU_PUNYCODE fails on get
# (CURLUE_OUT_OF_MEMORY), and libidn2-dev is already a dependency of libcurl4-openssl-dev.
if(NOT TARGET PkgConfig::IDN2)
  # GLOBAL: the static library's link interface names it in other directories (tests).
  pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET GLOBAL libidn2)
endif()
add_library(nh_urls STATIC ${CMAKE_CURRENT_LIST_DIR}/urls.cpp)
add_library(newsharvest::urls ALIAS nh_urls)
target_include_directories(nh_urls PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
target_link_libraries(nh_urls PUBLIC PkgConfig::CURL PRIVATE PkgConfig::IDN2)
nh_warnings(nh_urls)
