"""The premises registry: what is inspected, with the facts the law and decree turn on."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import divisions
from inspections.inputs import validate_sane_date
from inspections.models.premises_choices import (
    AlarmDeviceState,
    FishingPortClass,
    HazardClass,
    HeritageRank,
    PremisesKind,
    WorksGrade,
)
from inspections.textsearch import (
    SearchTextField,
    SearchWordField,
    is_vocabulary_word,
    premises_search_text,
)


class PremisesQuerySet(models.QuerySet):
    """Bulk writes keep ``search_text`` in step too (imports, benches, demo data)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.refresh_search_text()
        created = super().bulk_create(objs, *args, **kwargs)
        SearchWord.add_from(o.search_text for o in objs)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs, fields = list(objs), list(fields)
        if set(fields) & Premises.SEARCHED_FIELDS:
            for obj in objs:
                obj.refresh_search_text()
            fields.append("search_text")
            SearchWord.add_from(o.search_text for o in objs)
        return super().bulk_update(objs, fields, *args, **kwargs)


class SearchWord(models.Model):
    """Every word of the premises' folded search text, once: the vocabulary a mistyped word is
    corrected against ("guong" -> "guom") before the search runs (inspections/textsearch.py).

    Words are only added: a word no premises holds any more corrects to a search that finds
    nothing, which is what the user would get anyway.
    """

    word = SearchWordField(primary_key=True)

    class Meta:
        verbose_name = _("từ tìm kiếm")
        verbose_name_plural = _("từ tìm kiếm")

    def __str__(self) -> str:
        return self.word

    @staticmethod
    def add_from(texts) -> None:
        words = {w[:64] for text in texts for w in (text or "").split() if is_vocabulary_word(w)}
        if words:
            SearchWord.objects.bulk_create(
                [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=2000
            )


class Premises(models.Model):
    # What the search box matches, folded into search_text (inspections/textsearch.py).
    SEARCHED_FIELDS = frozenset({"name", "address_line", "external_id"})

    kind = models.CharField(_("loại"), max_length=32, choices=PremisesKind.choices, db_index=True)
    external_id = models.CharField(
        _("mã định danh ngoài"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Khóa dùng khi nhập từ tệp CSV; nhập lại cùng tệp không tạo bản ghi mới."),
    )
    name = models.CharField(_("tên"), max_length=255)
    address_line = models.CharField(_("địa chỉ (số nhà, đường)"), max_length=255, blank=True)
    province_code = models.PositiveIntegerField(_("mã tỉnh/thành phố"), db_index=True)
    ward_code = models.PositiveIntegerField(_("mã xã/phường"), db_index=True)
    occupancy_category = models.CharField(
        _("loại hình hoạt động"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Mã loại hình theo danh mục tham số (ví dụ karaoke, hospital, apartment)."),
    )
    # Size facts
    floors = models.PositiveSmallIntegerField(_("số tầng"), null=True, blank=True)
    height_m = models.DecimalField(
        _("chiều cao (m)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    floor_area_m2 = models.DecimalField(
        _("tổng diện tích sàn (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    volume_m3 = models.DecimalField(
        _("khối tích (m³)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    business_area_m2 = models.DecimalField(
        _("diện tích kinh doanh (m²)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    beds = models.PositiveIntegerField(_("số giường"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("sức chứa (người/chỗ)"), null=True, blank=True)
    employees = models.PositiveIntegerField(
        _("số người lao động"),
        null=True,
        blank=True,
        help_text=_("Số người thường xuyên làm việc tại cơ sở (Điều 20 khoản 2 Nghị định 105)."),
    )
    onsite_team_members = models.PositiveIntegerField(
        _("số thành viên Đội PCCC và CNCH cơ sở"),
        null=True,
        blank=True,
        help_text=_("Nghị định 105/2025/NĐ-CP khoản 5 Điều 20: tối thiểu 10, 15 hoặc 25 người."),
    )
    needs_specialised_team = models.BooleanField(
        _("phải có Đội PCCC và CNCH chuyên ngành"),
        default=False,
        help_text=_("Cơ sở thuộc khoản 1 Điều 20 Nghị định 105/2025/NĐ-CP."),
    )
    let_to_tenant = models.BooleanField(
        _("nhà cho thuê, cho mượn, cho ở nhờ"),
        default=False,
        help_text=_("Điều 8 khoản 8: trách nhiệm của người cho thuê và người thuê."),
    )
    # Facts the Decree 105 appendices turn on for particular types of premises.
    gas_stored_kg = models.DecimalField(
        _("lượng khí đốt tồn chứa (kg)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    voltage_kv = models.PositiveIntegerField(_("điện áp trạm biến áp (kV)"), null=True, blank=True)
    length_m = models.DecimalField(
        _("chiều dài hầm (m)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    site_area_m2 = models.DecimalField(
        _("diện tích khu đất, bãi (m²)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Bãi chứa hàng hóa (Phụ lục I mục 33); hạ tầng khu (Phụ lục II dòng 47)."),
    )
    heritage_rank = models.CharField(
        _("cấp di tích"), max_length=20, choices=HeritageRank.choices, blank=True
    )
    works_grade = models.CharField(
        _("cấp công trình"), max_length=8, choices=WorksGrade.choices, blank=True
    )
    fishing_port_class = models.CharField(
        _("loại cảng cá"), max_length=4, choices=FishingPortClass.choices, blank=True
    )
    needs_design_appraisal = models.BooleanField(
        _("thuộc diện thẩm duyệt, thẩm định thiết kế về PCCC"),
        null=True,
        blank=True,
        help_text=_("Công trình đang thi công: Công an kiểm tra định kỳ hằng năm (Điều 13.2.a)."),
    )
    # Hazard facts
    hazard_class = models.CharField(
        _("hạng nguy hiểm cháy nổ"), max_length=1, choices=HazardClass.choices, blank=True
    )
    trades_hazardous_goods = models.BooleanField(
        _("kinh doanh hàng hóa nguy hiểm về cháy, nổ"), default=False
    )
    in_infra_deficient_area = models.BooleanField(
        _("thuộc khu vực thiếu đường giao thông/nguồn nước chữa cháy"),
        default=False,
        help_text=_("Khu vực do UBND thành phố trực thuộc trung ương xác định (Điều 20 khoản 5)."),
    )
    under_fire_safety_management = models.BooleanField(
        _("thuộc diện quản lý về PCCC (Phụ lục I)"),
        null=True,
        blank=True,
        help_text=_("Để trống để hệ thống tự xác định theo danh mục Phụ lục I."),
    )
    is_public_body = models.BooleanField(
        _("là cơ quan, đơn vị nhà nước"),
        default=False,
        help_text=_(
            "Cơ quan nhà nước, đơn vị sự nghiệp công lập: không thuộc giới hạn 1 lần kiểm tra/năm "
            "của Nghị quyết 198/2025/QH15 (chỉ áp dụng cho doanh nghiệp, hộ kinh doanh)."
        ),
    )
    hosts_other_organisations = models.BooleanField(
        _("có cơ quan, tổ chức khác hoạt động trong cơ sở"),
        default=False,
        help_text=_("Điều 23 khoản 2: nghĩa vụ của các tổ chức hoạt động trong phạm vi cơ sở."),
    )
    legacy_noncompliant_listed = models.BooleanField(
        _("thuộc danh sách cơ sở không bảo đảm PCCC, không có khả năng khắc phục"),
        default=False,
        help_text=_("Danh sách do UBND cấp tỉnh công bố (Điều 55 khoản 6 điểm a)."),
    )
    has_ev_charging = models.BooleanField(_("có sạc xe điện"), default=False)
    uses_electricity_for_production = models.BooleanField(
        _("sử dụng điện cho sản xuất"), default=False
    )
    put_into_use_on = models.DateField(
        _("ngày đưa vào sử dụng"), null=True, blank=True, validators=[validate_sane_date]
    )
    # Alarm-transmission device (thiết bị truyền tin báo cháy)
    alarm_device_state = models.CharField(
        _("thiết bị truyền tin báo cháy"),
        max_length=16,
        choices=AlarmDeviceState.choices,
        default=AlarmDeviceState.NONE,
        db_index=True,
    )
    alarm_device_id = models.CharField(_("mã thiết bị"), max_length=64, blank=True)
    alarm_connected_on = models.DateField(
        _("ngày kết nối"), null=True, blank=True, validators=[validate_sane_date]
    )
    fire_data_declared_on = models.DateField(
        _("ngày khai báo dữ liệu PCCC"), null=True, blank=True, validators=[validate_sane_date]
    )
    # Compulsory fire and explosion insurance
    insurer = models.CharField(_("doanh nghiệp bảo hiểm"), max_length=255, blank=True)
    insurance_policy_number = models.CharField(
        _("số hợp đồng/giấy chứng nhận bảo hiểm"), max_length=64, blank=True
    )
    insurance_expires_on = models.DateField(
        _("ngày hết hạn bảo hiểm"), null=True, blank=True, validators=[validate_sane_date]
    )
    # Self-managed facts
    last_drill_on = models.DateField(
        _("ngày thực tập phương án gần nhất"),
        null=True,
        blank=True,
        validators=[validate_sane_date],
    )
    last_self_inspection_on = models.DateField(
        _("ngày tự kiểm tra gần nhất"), null=True, blank=True, validators=[validate_sane_date]
    )
    last_regular_check_on = models.DateField(
        _("ngày tự kiểm tra thường xuyên gần nhất"), null=True, blank=True
    )
    last_pc04_report_on = models.DateField(
        _("ngày gửi báo cáo PC04 gần nhất"), null=True, blank=True
    )

    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="headed_premises",
        blank=True,
        verbose_name=_("người đứng đầu / chủ hộ"),
    )
    contact_phone = models.CharField(_("điện thoại liên hệ"), max_length=32, blank=True)
    # WGS84, for the manager's map; empty until someone enters or imports them.
    latitude = models.DecimalField(
        _("vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # When the stored obligations were last computed (from the facts as they were then): older
    # than updated_at or than the published catalogue means stale, and the sweep recomputes.
    obligations_computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Derived by services/rollups.py whenever the premises or its inspections change, so the
    # manager's lists filter "never inspected" and "periodic inspection due" with an index.
    last_inspected_on = models.DateField(
        _("lần kiểm tra gần nhất"), null=True, blank=True, editable=False, db_index=True
    )
    periodic_due_on = models.DateField(
        _("hạn kiểm tra định kỳ"), null=True, blank=True, editable=False, db_index=True
    )

    search_text = SearchTextField(_("nội dung tìm kiếm"))

    objects = PremisesQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở / đối tượng kiểm tra")
        verbose_name_plural = _("cơ sở / đối tượng kiểm tra")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["province_code", "ward_code", "kind"], name="premises_juris_idx"),
            # A province's lists in name order (the portal's default sort): the first page walks
            # this index and stops after 25 rows, probing each row's filter (an obligation
            # status, a device state) by its own index, instead of sorting the whole province.
            models.Index(fields=["province_code", "name", "id"], name="premises_province_name_idx"),
            # Planning's default order, longest uninspected first (never inspected before all):
            # its first page walks this index where a MAX over every inspection of the
            # province took 1.5 s at 1,000,000 premises. Scanned backwards for the reverse sort.
            models.Index(
                models.F("province_code"),
                models.F("last_inspected_on").asc(nulls_first=True),
                models.F("id"),
                name="premises_province_last_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & self.SEARCHED_FIELDS:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)
        SearchWord.add_from([self.search_text])

    def refresh_search_text(self) -> None:
        self.search_text = premises_search_text(self.name, self.address_line, self.external_id)

    def clean(self) -> None:
        if divisions.province(self.province_code) is None:
            raise ValidationError({"province_code": _("Mã tỉnh/thành phố không tồn tại.")})
        if not divisions.ward_in_province(self.ward_code, self.province_code):
            raise ValidationError({"ward_code": _("Xã/phường không thuộc tỉnh/thành phố đã chọn.")})

    @property
    def province_name(self) -> str:
        return divisions.province_name(self.province_code)

    @property
    def ward_name(self) -> str:
        return divisions.ward_name(self.ward_code)

    @property
    def full_address(self) -> str:
        parts = [self.address_line, self.ward_name, self.province_name]
        return ", ".join(p for p in parts if p)

    @property
    def in_centrally_run_city(self) -> bool:
        return divisions.is_centrally_run_city(self.province_code)


class PremisesChange(models.Model):
    """Audit trail of changes to a premises' facts: who changed what, when."""

    premises = models.ForeignKey(Premises, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(_("nguồn"), max_length=32, default="portal")
    changes = models.JSONField(_("thay đổi"), default=dict, help_text="{field: [old, new]}")

    class Meta:
        verbose_name = _("lịch sử thay đổi cơ sở")
        verbose_name_plural = _("lịch sử thay đổi cơ sở")
        ordering = ["-changed_at", "-id"]
