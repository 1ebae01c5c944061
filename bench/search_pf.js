// Pagefind's default UI on bench/search.sh's copy of the site; ?q= runs
// the query (the UI does not read it itself).
var ui = new PagefindUI({ element: "#search", showImages: false });
var q = new URLSearchParams(location.search).get("q");
if (q) ui.triggerSearch(q);
