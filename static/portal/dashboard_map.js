// The manager dashboard's map: premises with coordinates, coloured by compliance state.
// Loaded only when a tile URL is configured (PORTAL_MAP_TILE_URL); Leaflet is vendored.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("premises-map");
  if (!box || typeof L === "undefined") return;
  var colours = { overdue: "#c62828", attention: "#b26a00", ok: "#146c2e" };
  fetch(box.dataset.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      var note = document.getElementById("premises-map-note");
      if (!data.points.length) { box.hidden = true; if (note) note.textContent = data.empty; return; }
      var map = L.map(box, { attributionControl: true });
      map.attributionControl.setPrefix(false);
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
      var bounds = [];
      data.points.forEach(function (p) {
        var marker = L.circleMarker([p.lat, p.lon], {
          radius: 6, weight: 1, color: "#222", fillColor: colours[p.state] || "#555", fillOpacity: 0.85,
        }).addTo(map);
        var link = document.createElement("a");
        link.href = p.url;
        link.textContent = p.name + " — " + p.label;
        marker.bindPopup(link);
        bounds.push([p.lat, p.lon]);
      });
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 15 });
      if (note) note.textContent = data.note;
    })
    .catch(function () { box.hidden = true; });
});
