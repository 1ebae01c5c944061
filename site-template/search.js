/* Placeholder for the static search client (issue 5).  It only reads
 * the query back into the search box; it makes no request. */
(function () {
	"use strict";
	var q = new URLSearchParams(window.location.search).get("q");
	var box = document.getElementById("q");
	if (q && box) box.value = q;
})();
