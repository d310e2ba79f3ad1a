// Interface text: Vietnamese by default, English on request (kept on the phone).
const TEXT = {
  vi: {
    app: "PCCC Kiểm tra", login: "Đăng nhập", email: "Thư điện tử", password: "Mật khẩu",
    loginFailed: "Sai thư điện tử hoặc mật khẩu.", needOnline: "Cần có mạng cho lần đăng nhập đầu tiên.",
    today: "Hôm nay", upcoming: "Sắp tới", overdue: "Quá hạn", done: "Đã nộp", none: "Không có đợt kiểm tra nào.",
    syncNow: "Đồng bộ ngay", lastSync: "Đồng bộ lần cuối", never: "chưa bao giờ", pending: "chờ gửi",
    offline: "Ngoại tuyến", online: "Trực tuyến", allSent: "Đã gửi hết", errors: "lỗi",
    premises: "Cơ sở", facts: "Thông tin cơ sở", obligations: "Nghĩa vụ", start: "Bắt đầu kiểm tra",
    checklist: "Danh mục kiểm tra", item: "Mục kiểm tra", answered: "đã trả lời", yes: "Đạt", no: "Không đạt", na: "Không áp dụng",
    number: "Số đo", note: "Ghi chú", why: "Vì sao áp dụng & căn cứ", close: "Đóng", save: "Lưu",
    photo: "Chụp ảnh", photos: "Ảnh", findings: "Vi phạm / kiến nghị", addFinding: "Thêm vi phạm",
    description: "Mô tả", severity: "Mức độ", deadline: "Hạn khắc phục", minor: "Nhẹ", major: "Nặng", critical: "Nghiêm trọng",
    signatures: "Chữ ký", inspector: "Cán bộ kiểm tra", representative: "Đại diện cơ sở", name: "Họ tên", position: "Chức vụ",
    clear: "Xóa", refused: "Đại diện không ký", refusalReason: "Lý do không ký", representativeComments: "Ý kiến của đại diện cơ sở", signHere: "Ký vào ô dưới",
    recommendations: "Kiến nghị", submit: "Nộp biên bản", submitted: "Đã nộp — chờ gửi lên máy chủ",
    missing: "Còn thiếu", required: "bắt buộc", sync: "Đồng bộ", settings: "Cài đặt", language: "Ngôn ngữ",
    location: "Lưu vị trí chụp ảnh (cần đồng ý)", logout: "Đăng xuất", unsentLogout: "Còn dữ liệu chưa gửi. Đăng xuất sẽ giữ lại dữ liệu trên máy.",
    conflict: "Xung đột", onPhone: "Trên máy", onServer: "Trên máy chủ", keepMine: "Giữ của tôi", takeServer: "Lấy của máy chủ",
    failed: "Bị từ chối", discard: "Bỏ mục này", retry: "Thử lại", edit: "Sửa",
    tombstone: "Đợt kiểm tra này không còn được giao cho bạn", unsentKept: "Dữ liệu chưa gửi được giữ lại trên máy:",
    removeLocal: "Xóa khỏi máy (mất dữ liệu chưa gửi)", confirmRemove: "Xóa hẳn dữ liệu chưa gửi?",
    storage: "Bộ nhớ", storageLow: "Bộ nhớ máy sắp đầy: hãy kết nối mạng để gửi ảnh.", outbox: "Hàng đợi gửi",
    kindStart: "Bắt đầu", kindAnswers: "Câu trả lời", kindPhoto: "Ảnh", kindFinding: "Vi phạm", kindSignature: "Chữ ký", kindSubmit: "Nộp",
    retryAt: "thử lại lúc", uploading: "đang tải", state_scheduled: "Đã lên lịch", state_in_progress: "Đang kiểm tra",
    state_submitted: "Đã nộp", state_signed: "Đã ký", state_cancelled: "Đã hủy", saved: "Đã lưu trên máy",
    back: "Quay lại", fieldErrors: "Lỗi dữ liệu", retryIn: "thử lại sau", seconds: "giây", of: "/",
    fact_floors: "Số tầng", fact_height_m: "Chiều cao (m)", fact_floor_area_m2: "Diện tích sàn (m²)",
    fact_volume_m3: "Khối tích (m³)", fact_capacity: "Sức chứa (người)", fact_occupancy_category: "Loại hình hoạt động",
    fact_alarm_device_state: "Thiết bị truyền tin báo cháy", fact_contact_phone: "Điện thoại liên hệ",
    alarm_none: "Chưa trang bị", alarm_installed: "Đã lắp đặt, chưa kết nối", alarm_connected: "Đã kết nối",
    gone_unassigned: "không còn được phân công", gone_cancelled: "đợt kiểm tra đã hủy", gone_revoked: "không còn quyền truy cập",
    synced: "Đã đồng bộ",
    ob_met: "Đã đáp ứng", ob_not_met: "Chưa đáp ứng", ob_unknown: "Chưa xác định", ob_overdue: "Quá hạn",
  },
  en: {
    app: "PCCC Inspect", login: "Log in", email: "E-mail", password: "Password",
    loginFailed: "Wrong e-mail or password.", needOnline: "The first log-in needs a connection.",
    today: "Today", upcoming: "Upcoming", overdue: "Overdue", done: "Submitted", none: "No inspections.",
    syncNow: "Sync now", lastSync: "Last sync", never: "never", pending: "pending",
    offline: "Offline", online: "Online", allSent: "All sent", errors: "errors",
    premises: "Premises", facts: "Premises facts", obligations: "Obligations", start: "Start inspection",
    checklist: "Checklist", item: "Checklist item", answered: "answered", yes: "Pass", no: "Fail", na: "N/A",
    number: "Measurement", note: "Note", why: "Why it applies & legal basis", close: "Close", save: "Save",
    photo: "Take photo", photos: "Photos", findings: "Findings", addFinding: "Add finding",
    description: "Description", severity: "Severity", deadline: "Remediation deadline", minor: "Minor", major: "Major", critical: "Critical",
    signatures: "Signatures", inspector: "Inspector", representative: "Premises representative", name: "Full name", position: "Position",
    clear: "Clear", refused: "Representative refuses to sign", refusalReason: "Reason for refusing", representativeComments: "Representative's comments", signHere: "Sign in the box below",
    recommendations: "Recommendations", submit: "Submit record", submitted: "Submitted — waiting to be sent",
    missing: "Missing", required: "required", sync: "Sync", settings: "Settings", language: "Language",
    location: "Keep photo location (consent)", logout: "Log out", unsentLogout: "Unsent work remains. Logging out keeps it on this phone.",
    conflict: "Conflict", onPhone: "On this phone", onServer: "On the server", keepMine: "Keep mine", takeServer: "Take the server's",
    failed: "Refused", discard: "Discard this entry", retry: "Retry", edit: "Edit",
    tombstone: "This inspection is no longer assigned to you", unsentKept: "Unsent work kept on this phone:",
    removeLocal: "Remove from phone (loses unsent work)", confirmRemove: "Delete the unsent work for good?",
    storage: "Storage", storageLow: "Phone storage is almost full: connect to send the photos.", outbox: "Outbox",
    kindStart: "Start", kindAnswers: "Answers", kindPhoto: "Photo", kindFinding: "Finding", kindSignature: "Signature", kindSubmit: "Submit",
    retryAt: "retry at", uploading: "uploading", state_scheduled: "Scheduled", state_in_progress: "In progress",
    state_submitted: "Submitted", state_signed: "Signed", state_cancelled: "Cancelled", saved: "Saved on this phone",
    back: "Back", fieldErrors: "Field errors", retryIn: "retry in", seconds: "s", of: "/",
    fact_floors: "Floors", fact_height_m: "Height (m)", fact_floor_area_m2: "Floor area (m²)",
    fact_volume_m3: "Volume (m³)", fact_capacity: "Capacity (people)", fact_occupancy_category: "Occupancy",
    fact_alarm_device_state: "Fire alarm transmitter", fact_contact_phone: "Contact phone",
    alarm_none: "None", alarm_installed: "Installed, not connected", alarm_connected: "Connected",
    gone_unassigned: "unassigned", gone_cancelled: "the inspection was cancelled", gone_revoked: "access revoked",
    synced: "Synced",
    ob_met: "Met", ob_not_met: "Not met", ob_unknown: "Unknown", ob_overdue: "Overdue",
  },
};

let current = "vi";

export function setLang(lang) {
  current = TEXT[lang] ? lang : "vi";
  document.documentElement.lang = current;
}

export function lang() {
  return current;
}

export function t(key) {
  return TEXT[current][key] ?? TEXT.vi[key] ?? key;
}

// The field in the user's language, falling back to Vietnamese (e.g. title_vi / title_en).
export function pick(obj, base) {
  return (current === "en" && obj[base + "_en"]) || obj[base + "_vi"] || "";
}
