// Maps of spaces: an enhancement only. The page lists everything without it; with no tile
// server configured (data-tiles-url empty) the markers stand on a plain background.
(function () {
  "use strict";
  if (!window.L) { return; }

  function zoomControl(element) {
    return L.control.zoom({
      zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut
    });
  }

  function draw(element, points, truncated) {
    if (!points.length) { return; }
    element.classList.add("map--ready");
    var map = L.map(element, { scrollWheelZoom: false, zoomControl: false });
    zoomControl(element).addTo(map);
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, {
        maxZoom: 18, attribution: element.dataset.attribution
      }).addTo(map);
    }
    var pattern = element.dataset.detailUrl;
    var markers = points.map(function (point) {
      var fill = { available: "#0b5e55", demand: "#b7791f" }[point.status] || "#9c3d14";
      var marker = L.circleMarker([point.lat, point.lng], {
        radius: point.radius || 8, weight: 2, color: "#074840",
        fillColor: fill, fillOpacity: point.status === "demand" ? 0.6 : 0.9
      });
      var label = document.createElement("span");
      label.textContent = point.name;
      label.setAttribute("dir", "auto");
      if (pattern) {
        var link = document.createElement("a");
        link.href = pattern.replace("/0/", "/" + point.id + "/");
        link.appendChild(label);
        marker.bindPopup(link);
      } else {
        marker.bindTooltip(label);
      }
      return marker.addTo(map);
    });
    map.fitBounds(L.featureGroup(markers).getBounds().pad(0.2), { maxZoom: 13 });
    if (truncated) {
      var note = document.createElement("p");
      note.className = "note";
      note.textContent = element.dataset.truncated;
      element.parentNode.appendChild(note);
    }
  }

  document.querySelectorAll(".map").forEach(function (element) {
    if (element.dataset.points) {
      var source = document.getElementById(element.dataset.points);
      if (source) { draw(element, JSON.parse(source.textContent), false); }
    } else if (element.dataset.pointsUrl && window.fetch) {
      fetch(element.dataset.pointsUrl, { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { points: [] }; })
        .then(function (data) { draw(element, data.points, data.truncated); })
        .catch(function () { /* the list above the map still works */ });
    }
  });
})();
