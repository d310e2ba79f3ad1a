// Photos taken on the phone: compressed to about 2 MP JPEG before they are stored and sent.
// The time the picture was taken stays in its EXIF; the location only with the user's consent.
import imageCompression from "../vendor/browser-image-compression.mjs";

const EXIF_TIME = /(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;

export async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The camera's DateTimeOriginal (first EXIF date in the file), else the file's own time.
export async function takenAt(file) {
  const head = new TextDecoder("latin1").decode(await file.slice(0, 128 * 1024).arrayBuffer());
  const m = EXIF_TIME.exec(head);
  if (m) return { exif: m[0], date: new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) };
  const date = new Date(file.lastModified || Date.now());
  return { exif: exifText(date), date };
}

function exifText(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}:${p(d.getMonth() + 1)}:${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// A minimal EXIF block holding only DateTimeOriginal (no device, no location).
function exifSegment(text) {
  const tiff = new DataView(new ArrayBuffer(64));
  tiff.setUint16(0, 0x4949); tiff.setUint16(2, 42, true); tiff.setUint32(4, 8, true);
  tiff.setUint16(8, 1, true); // IFD0: one entry, the Exif sub-IFD
  tiff.setUint16(10, 0x8769, true); tiff.setUint16(12, 4, true); tiff.setUint32(14, 1, true); tiff.setUint32(18, 26, true);
  tiff.setUint32(22, 0, true);
  tiff.setUint16(26, 1, true); // Exif IFD: DateTimeOriginal
  tiff.setUint16(28, 0x9003, true); tiff.setUint16(30, 2, true); tiff.setUint32(32, 20, true); tiff.setUint32(36, 44, true);
  tiff.setUint32(40, 0, true);
  for (let i = 0; i < 19; i++) tiff.setUint8(44 + i, text.charCodeAt(i));
  const header = new Uint8Array([0xff, 0xe1, 0, 0, 0x45, 0x78, 0x69, 0x66, 0, 0]);
  const length = 2 + 6 + 64;
  header[2] = length >> 8; header[3] = length & 0xff;
  return [header, new Uint8Array(tiff.buffer)];
}

async function withExifTime(jpeg, text) {
  const bytes = new Uint8Array(await jpeg.arrayBuffer());
  let at = 2; // after SOI, and after a JFIF APP0 if there is one
  if (bytes[2] === 0xff && bytes[3] === 0xe0) at = 4 + ((bytes[4] << 8) | bytes[5]);
  return new Blob([bytes.slice(0, at), ...exifSegment(text), bytes.slice(at)], { type: "image/jpeg" });
}

export async function preparePhoto(file, { keepLocation }) {
  const time = await takenAt(file);
  const options = {
    maxSizeMB: 1.5,
    maxWidthOrHeight: 1632, // 1632 × 1224 ≈ 2 MP for a 4:3 camera
    initialQuality: 0.85,
    fileType: "image/jpeg",
    useWebWorker: false, // a worker would load the library from a CDN; the CSP forbids it
    preserveExif: Boolean(keepLocation),
  };
  let blob = await imageCompression(file, options);
  if (!keepLocation) blob = await withExifTime(blob, time.exif);
  else if (blob.type !== "image/jpeg") blob = new Blob([blob], { type: "image/jpeg" });
  return { blob, sha256: await sha256Hex(blob), takenAt: time.date };
}

export function currentPosition() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => resolve({ latitude: pos.coords.latitude.toFixed(6), longitude: pos.coords.longitude.toFixed(6) }),
      () => resolve(null),
      { timeout: 5000, maximumAge: 60000 }
    );
  });
}
