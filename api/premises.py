"""Premises registry API: the list the caller may see (filtered, paginated) and one premises."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet, prefetch_related_objects
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import filters, generics, serializers

from inspections import access
from inspections.models import AlarmDeviceState, Premises, PremisesKind, TrainingCertificate

from .schema import error_responses
from .search import FoldedSearchFilter


class PremisesFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PremisesKind.choices)
    province_code = django_filters.NumberFilter()
    ward_code = django_filters.NumberFilter()
    occupancy_category = django_filters.CharFilter()
    alarm_device_state = django_filters.ChoiceFilter(choices=AlarmDeviceState.choices)

    class Meta:
        model = Premises
        fields = ["kind", "province_code", "ward_code", "occupancy_category", "alarm_device_state"]


class PremisesListSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    province_name = serializers.CharField(read_only=True)
    ward_name = serializers.CharField(read_only=True)
    full_address = serializers.CharField(read_only=True)
    alarm_device_state_display = serializers.CharField(
        source="get_alarm_device_state_display", read_only=True
    )

    class Meta:
        model = Premises
        fields = [
            "id",
            "external_id",
            "kind",
            "kind_display",
            "name",
            "address_line",
            "province_code",
            "province_name",
            "ward_code",
            "ward_name",
            "full_address",
            "occupancy_category",
            "floors",
            "floor_area_m2",
            "alarm_device_state",
            "alarm_device_state_display",
            "insurance_expires_on",
            "updated_at",
        ]


class TrainingCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingCertificate
        fields = [
            "id",
            "holder_name",
            "duty",
            "training_kind",
            "role",
            "number",
            "issued_on",
            "expires_on",
        ]


class HeadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    email = serializers.EmailField()


class PremisesDetailSerializer(PremisesListSerializer):
    heads = HeadSerializer(many=True, read_only=True)
    training_certificates = TrainingCertificateSerializer(many=True, read_only=True)
    hazard_class_display = serializers.CharField(source="get_hazard_class_display", read_only=True)
    in_centrally_run_city = serializers.BooleanField(read_only=True)

    class Meta(PremisesListSerializer.Meta):
        fields = [
            *PremisesListSerializer.Meta.fields,
            "height_m",
            "volume_m3",
            "business_area_m2",
            "beds",
            "capacity",
            "employees",
            "onsite_team_members",
            "needs_specialised_team",
            "let_to_tenant",
            "hazard_class",
            "hazard_class_display",
            "trades_hazardous_goods",
            "in_infra_deficient_area",
            "in_centrally_run_city",
            "under_fire_safety_management",
            "hosts_other_organisations",
            "is_public_body",
            "legacy_noncompliant_listed",
            "has_ev_charging",
            "uses_electricity_for_production",
            "put_into_use_on",
            "alarm_device_id",
            "alarm_connected_on",
            "fire_data_declared_on",
            "insurer",
            "insurance_policy_number",
            "last_drill_on",
            "last_self_inspection_on",
            "last_regular_check_on",
            "last_pc04_report_on",
            "gas_stored_kg",
            "voltage_kv",
            "length_m",
            "site_area_m2",
            "heritage_rank",
            "works_grade",
            "fishing_port_class",
            "needs_design_appraisal",
            "contact_phone",
            "heads",
            "training_certificates",
            "created_at",
        ]


@extend_schema_view(
    get=extend_schema(
        tags=["premises"],
        summary="Premises the caller may see",
        responses={200: PremisesListSerializer(many=True), **error_responses(400, 401)},
    )
)
class PremisesListApi(generics.ListAPIView):
    serializer_class = PremisesListSerializer
    filter_backends = [DjangoFilterBackend, FoldedSearchFilter, filters.OrderingFilter]
    filterset_class = PremisesFilter
    search_fields = ["search_text"]  # name, address and external id, folded
    ordering_fields = ["name", "updated_at", "id", "insurance_expires_on"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Premises]:
        return access.premises_visible_to(self.request.user)


@extend_schema_view(
    get=extend_schema(
        tags=["premises"],
        summary="One premises with all its facts",
        responses={200: PremisesDetailSerializer, **error_responses(401, 404)},
    )
)
class PremisesDetailApi(generics.RetrieveAPIView):
    serializer_class = PremisesDetailSerializer

    def get_object(self) -> Premises:
        premises = access.access_premises(self.request.user, self.kwargs["pk"])
        prefetch_related_objects([premises], "heads", "training_certificates")
        return premises
