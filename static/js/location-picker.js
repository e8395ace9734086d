// Pick a building's position on a map: a tap fills the latitude and longitude fields, which
// stay the source of truth (they can be typed, and work without JavaScript).
(function () {
  "use strict";
  var element = document.getElementById("location-picker");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  if (!window.L || !element || !lat || !lng) { return; }
  var centre = JSON.parse(document.getElementById("commune-centre").textContent);
  element.classList.add("map--ready");
  var map = L.map(element, { zoomControl: false });
  L.control.zoom({
    zoomInTitle: element.dataset.zoomIn, zoomOutTitle: element.dataset.zoomOut
  }).addTo(map);
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, {
      maxZoom: 19, attribution: element.dataset.attribution
    }).addTo(map);
  }
  var marker = null;
  function place(latitude, longitude) {
    var position = [latitude, longitude];
    if (marker) { marker.setLatLng(position); } else {
      marker = L.marker(position, { draggable: true, keyboard: true }).addTo(map);
      marker.on("dragend", function () {
        var moved = marker.getLatLng();
        fill(moved.lat, moved.lng);
      });
    }
  }
  function fill(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lng.value = longitude.toFixed(6);
  }
  var current = [parseFloat(lat.value), parseFloat(lng.value)];
  if (!isNaN(current[0]) && !isNaN(current[1])) {
    place(current[0], current[1]);
    map.setView(current, 15);
  } else {
    map.setView([centre.lat, centre.lng], 12);
  }
  map.on("click", function (event) {
    place(event.latlng.lat, event.latlng.lng);
    fill(event.latlng.lat, event.latlng.lng);
  });
  [lat, lng].forEach(function (input) {
    input.addEventListener("change", function () {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (!isNaN(a) && !isNaN(b)) { place(a, b); map.panTo([a, b]); }
    });
  });
})();
