"""REST API: the assessment platform pushes a student account's whole competence profile.

`PUT /api/comptes/<user_id>/profil/` with an integration token (accounts/api.py). A token may
only touch accounts linked to an active student of its own school; any other id is a 404.
A bad payload is a 400 naming the field, and nothing is stored.
"""

from datetime import UTC, datetime, timedelta

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api_errors import ApiErrorsSerializer
from students.models import Student

from .models import CompetenceProfile
from .referential import COMPETENCE_CODES, PIX_PER_LEVEL, max_reachable_level
from .services import competence_profile_replace

# Clocks of two servers are never exactly in step.
CLOCK_SKEW = timedelta(minutes=5)
# No Pix profile predates Pix; a year 0001 is a client's placeholder, and breaks time zones.
EARLIEST_COMPUTED_AT = datetime(2016, 1, 1, tzinfo=UTC)


class CompetenceScoreSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=COMPETENCE_CODES,
        error_messages={"invalid_choice": "« {input} » n'est pas une compétence du référentiel."},
    )
    level = serializers.IntegerField(min_value=0)
    pix = serializers.IntegerField(min_value=0)

    def validate_level(self, level):
        top = max_reachable_level()
        if level > top:
            raise serializers.ValidationError(
                f"Le niveau doit être compris entre 0 et {top} (niveau maximum atteignable)."
            )
        return level

    def validate(self, attrs):
        level, pix = attrs["level"], attrs["pix"]
        # The pix of a level, plus those earned towards the next one (none past the top level).
        highest = level * PIX_PER_LEVEL + (
            PIX_PER_LEVEL - 1 if level < max_reachable_level() else 0
        )
        if not level * PIX_PER_LEVEL <= pix <= highest:
            raise serializers.ValidationError(
                {
                    "pix": f"Compétence {attrs['code']} au niveau {level} : les pix doivent être "
                    f"compris entre {level * PIX_PER_LEVEL} et {highest}."
                }
            )
        return attrs


class CompetenceProfileSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(help_text="Date et heure du calcul du profil.")
    competences = CompetenceScoreSerializer(
        many=True, help_text="Les 16 compétences du référentiel, chacune une fois."
    )

    def validate_computed_at(self, computed_at):
        if computed_at > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError("La date de calcul ne peut pas être dans le futur.")
        if computed_at < EARLIEST_COMPUTED_AT:
            raise serializers.ValidationError(
                "La date de calcul ne peut pas être antérieure au 1er janvier 2016."
            )
        return computed_at

    def validate_competences(self, competences):
        codes = [competence["code"] for competence in competences]
        duplicates = sorted({code for code in codes if codes.count(code) > 1})
        if duplicates:
            raise serializers.ValidationError(f"Compétence(s) en double : {', '.join(duplicates)}.")
        missing = [code for code in COMPETENCE_CODES if code not in codes]
        if missing:
            raise serializers.ValidationError(
                f"Le profil doit contenir les 16 compétences ; il manque : {', '.join(missing)}."
            )
        return competences


def _profile_data(profile: CompetenceProfile) -> dict:
    return {
        "computed_at": profile.computed_at,
        "competences": [
            {"code": code, "level": level, "pix": pix}
            for code, level, pix in profile.scores.order_by("competence__index").values_list(
                "competence__code", "level", "pix"
            )
        ],
    }


class CompetenceProfileView(APIView):
    """The competence profile of one student account of the token's school."""

    def _account(self, request, user_id) -> User:
        students_here = Student.objects.filter(
            user=OuterRef("pk"), organization=request.auth.organization, is_disabled=False
        )
        return get_object_or_404(User.objects.filter(Exists(students_here)), pk=user_id)

    @extend_schema(responses={200: CompetenceProfileSerializer, 404: ApiErrorsSerializer})
    def get(self, request, user_id):
        profile = get_object_or_404(CompetenceProfile, user=self._account(request, user_id))
        return Response(CompetenceProfileSerializer(_profile_data(profile)).data)

    @extend_schema(
        request=CompetenceProfileSerializer,
        responses={
            200: CompetenceProfileSerializer,
            400: ApiErrorsSerializer,
            404: ApiErrorsSerializer,
        },
    )
    def put(self, request, user_id):
        user = self._account(request, user_id)
        serializer = CompetenceProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = competence_profile_replace(
            user=user,
            computed_at=serializer.validated_data["computed_at"],
            scores={
                competence["code"]: (competence["level"], competence["pix"])
                for competence in serializer.validated_data["competences"]
            },
        )
        return Response(CompetenceProfileSerializer(_profile_data(profile)).data)
