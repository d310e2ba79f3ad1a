// The self-inspection signature pad: draw with mouse or finger; the PNG goes with "sign and submit".
// A page sent back with an error carries the drawn signature in the hidden field: it is drawn
// again, so nothing the head did is lost.
(function () {
  var c = document.getElementById("sig-pad");
  if (!c) return;
  var ctx = c.getContext("2d"), drawing = false, used = false;
  var field = document.getElementById("signature");
  ctx.lineWidth = 2.5; ctx.lineCap = "round"; ctx.strokeStyle = "#10204a";
  if (field.value.indexOf("data:image/png;base64,") === 0) {
    var img = new Image();
    img.onload = function () { ctx.drawImage(img, 0, 0); used = true; };
    img.src = field.value;
  }
  function pos(e) { var r = c.getBoundingClientRect(); return [(e.clientX - r.left) * c.width / r.width, (e.clientY - r.top) * c.height / r.height]; }
  c.addEventListener("pointerdown", function (e) { drawing = true; used = true; var p = pos(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); c.setPointerCapture(e.pointerId); });
  c.addEventListener("pointermove", function (e) { if (!drawing) return; var p = pos(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); });
  c.addEventListener("pointerup", function () { drawing = false; });
  document.getElementById("sig-clear").addEventListener("click", function () { ctx.clearRect(0, 0, c.width, c.height); used = false; field.value = ""; });
  document.getElementById("checklist").addEventListener("submit", function () {
    // Sent with "save" too: a page that comes back with an error still shows the signature.
    if (used) { field.value = c.toDataURL("image/png"); }
  });
})();
